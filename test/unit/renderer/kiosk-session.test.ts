import { describe, expect, it, vi } from 'vitest';
import { openVisitorSession } from '../../../renderer/kiosk/visitor-session';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fakeApi() {
  const log: string[] = [];
  const start = deferred<{ sessionId: string }>();
  const api = {
    startVisitorSession: vi.fn(() => start.promise),
    recordVisitorView: vi.fn(async ({ sessionId, itemId }: { sessionId: string; itemId: string }) => {
      log.push(`view ${sessionId} ${itemId}`);
      return {};
    }),
    endVisitorSession: vi.fn(async ({ sessionId, reason }: { sessionId: string; reason: string }) => {
      log.push(`end ${sessionId} ${reason}`);
      return {};
    }),
    captureLead: vi.fn(async ({ sessionId }: { sessionId: string }) => {
      log.push(`lead ${sessionId}`);
      return { leadId: 'lead-1' };
    }),
  };
  return { api, log, start };
}

describe('visitor session', () => {
  it('starts at once; views, the lead and the end wait for the id, in order', async () => {
    const { api, log, start } = fakeApi();
    const session = openVisitorSession(api);
    expect(api.startVisitorSession).toHaveBeenCalledTimes(1);
    session.recordView('a');
    session.recordView('b');
    const lead = session.captureLead((sessionId) => ({
      sessionId,
      fields: {},
      consent: { given: true, version: 'v' },
    }));
    start.resolve({ sessionId: 's1' });
    await expect(lead).resolves.toEqual({ leadId: 'lead-1' });
    await session.end('done');
    await session.end('idle');
    expect(log).toEqual(['view s1 a', 'view s1 b', 'lead s1', 'end s1 done']);
  });

  it('a failed start is tried again when the lead needs it; a view that fails is retried once', async () => {
    const { api, log } = fakeApi();
    api.startVisitorSession.mockRejectedValueOnce(new Error('down')).mockResolvedValue({ sessionId: 's2' });
    const session = openVisitorSession(api);
    await Promise.resolve();
    api.recordVisitorView.mockRejectedValueOnce(new Error('busy'));
    session.recordView('a');
    await expect(
      session.captureLead((sessionId) => ({ sessionId, fields: {}, consent: { given: true, version: 'v' } })),
    ).resolves.toEqual({ leadId: 'lead-1' });
    expect(log).toEqual(['view s2 a', 'lead s2']);
  });

  it('a session that never started ends quietly', async () => {
    const { api, start } = fakeApi();
    const session = openVisitorSession(api);
    start.reject(new Error('down'));
    await session.end('idle');
    expect(api.endVisitorSession).not.toHaveBeenCalled();
  });
});
