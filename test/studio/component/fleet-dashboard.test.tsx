/**
 * The fleet views' data hook with a fake API whose answers come back in whatever order the test
 * releases them: what is shown always answers the choice on screen.
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as FleetApi from '../../../renderer/studio/fleet/api';
import type { Dashboard } from '../../../renderer/studio/fleet/api';

const asked: { args: Record<string, string | undefined>; answer(d: Dashboard): void }[] = [];
vi.mock('../../../renderer/studio/fleet/api', async (original) => {
  const real = await original<typeof FleetApi>();
  return {
    ...real,
    fleetApi: {
      ...real.fleetApi,
      dashboard: (_name: string, args: Record<string, string | undefined>) =>
        new Promise<Dashboard>((resolve) => asked.push({ args, answer: resolve })),
    },
  };
});
const { useDashboard } = await import('../../../renderer/studio/fleet/Fleet');

const answer = (title: string): Dashboard => ({
  generatedAt: '2026-12-07T12:00:00.000Z',
  tables: { usage: { title, columns: [], rows: [] } },
});

describe('useDashboard', () => {
  beforeEach(() => {
    asked.length = 0;
  });

  it('drops an answer to an earlier choice that arrives after the new one, and clears on a change', async () => {
    const { result, rerender } = renderHook(({ groupBy }) => useDashboard('content', { groupBy }), {
      initialProps: { groupBy: 'item' },
    });
    await waitFor(() => expect(asked).toHaveLength(1));
    act(() => asked[0]!.answer(answer('Content use by item')));
    await waitFor(() => expect(result.current.data?.tables.usage!.title).toBe('Content use by item'));

    rerender({ groupBy: 'team' });
    // The table by item goes at once: its rows (and their Pages buttons) are not the new choice's.
    expect(result.current.data).toBeNull();
    await waitFor(() => expect(asked).toHaveLength(2));
    rerender({ groupBy: 'item' });
    await waitFor(() => expect(asked).toHaveLength(3));
    // The answer by item comes first, then the late one by team: by item stays.
    act(() => asked[2]!.answer(answer('Content use by item')));
    await waitFor(() => expect(result.current.data?.tables.usage!.title).toBe('Content use by item'));
    await act(async () => asked[1]!.answer(answer('Content use by team')));
    expect(result.current.data?.tables.usage!.title).toBe('Content use by item');
  });
});
