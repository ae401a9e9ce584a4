import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.mjs';

describe('the end-to-end tests find their Chromium', () => {
  it('takes PITCHCASE_CHROMIUM first when it exists', () => {
    const binary = path.join(mkdtempSync(path.join(tmpdir(), 'chromium-')), 'chrome');
    writeFileSync(binary, '');
    expect(findChromium({ PITCHCASE_CHROMIUM: binary })).toEqual({ path: binary, source: 'PITCHCASE_CHROMIUM' });
  });

  it('says what it tried when PITCHCASE_CHROMIUM names nothing, instead of falling back silently', () => {
    expect(findChromium({ PITCHCASE_CHROMIUM: '/nonexistent/chromium' })).toEqual({
      path: null,
      tried: ['/nonexistent/chromium'],
    });
  });

  it('without PITCHCASE_CHROMIUM, finds one or lists every place it looked', () => {
    const result = findChromium({});
    if (result.path === null) expect(result.tried).toContain('/usr/bin/chromium');
    else expect(result.source).toMatch(/Playwright|system/);
  });
});
