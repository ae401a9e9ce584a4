/**
 * The library table at 20,000 items: only a window of rows is in the page, the rest is space of
 * the right height, blocks are asked for by row range, and a row still on its way says so.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Item } from '../../../renderer/studio/api';
import { VirtualItemTable } from '../../../renderer/studio/Library';

const itemAt = (index: number): Item => ({
  id: `lib-${String(index).padStart(6, '0')}`,
  kind: 'pdf',
  title: `Library item ${index}`,
  description: '',
  category: null,
  tags: [],
  products: [],
  audiences: [],
  collections: [],
  validFrom: null,
  validUntil: null,
  kiosk: false,
  shareUrl: null,
  fileName: `lib-${index}.pdf`,
  fileSha256: 'a'.repeat(64),
  fileSize: 1000,
  revision: 1,
  updatedAt: '2026-12-01T08:00:00.000Z',
});

describe('the virtualised library table', () => {
  // happy-dom lays nothing out: the scroll box is given the 640 px a laptop screen would give it.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 640 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
  });
  afterAll(() => {
    // Back to happy-dom's own (inherited from Element).
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });

  it('draws a window of 20,000 rows and asks for the blocks it shows', async () => {
    const need = vi.fn();
    const { container } = render(
      <VirtualItemTable
        channel="default"
        total={20_000}
        rowAt={(i) => (i < 5 ? itemAt(i) : null)}
        need={need}
        selectable={false}
        selected={new Set()}
        onToggle={() => {}}
        onOpen={() => {}}
      />,
    );
    await waitFor(() => expect(need).toHaveBeenCalled());
    const [first, last] = need.mock.calls[0] as [number, number];
    expect(first).toBe(0);
    expect(last).toBeGreaterThan(5);
    expect(last).toBeLessThan(60);
    const drawn = container.querySelectorAll('tr[data-item-id]').length;
    expect(drawn).toBe(5);
    expect(screen.getAllByText('Loading…').length).toBe(last + 1 - 5);
    // The space below stands in for every row not drawn, so the scroll bar is the real one.
    const pads = [...container.querySelectorAll<HTMLTableRowElement>('tr[aria-hidden="true"]')];
    expect(pads.map((p) => p.style.height)).toEqual([`${(20_000 - last - 1) * 64}px`]);
    expect(screen.getByText(/of 20000$/)).toBeTruthy();
  });

  it('says so when nothing matches', () => {
    render(
      <VirtualItemTable
        channel="default"
        total={0}
        rowAt={() => null}
        need={() => {}}
        selectable={false}
        selected={new Set()}
        onToggle={() => {}}
        onOpen={() => {}}
      />,
    );
    expect(screen.getByText('No items')).toBeTruthy();
  });
});
