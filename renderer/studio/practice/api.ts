import type { PracticeRecordingDetail, PracticeRecordingPage, RubricRating } from '#shared/practice-review';
import { call } from '../api.ts';

/** Practice recordings as Studio's UI reads and reviews them. */
export const practiceApi = {
  list(filters: { prompt?: string; team?: string; rep?: string; page: number }): Promise<PracticeRecordingPage> {
    const query = new URLSearchParams({ page: String(filters.page) });
    for (const key of ['prompt', 'team', 'rep'] as const) if (filters[key]) query.set(key, filters[key]!);
    return call('GET', `/api/practice/recordings?${query}`);
  },
  get: (id: string) => call<PracticeRecordingDetail>('GET', `/api/practice/recordings/${encodeURIComponent(id)}`),
  audioUrl: (id: string) => `/api/practice/recordings/${encodeURIComponent(id)}/audio`,
  review: (id: string, review: { overall: number; rubric: { message: string; rating: RubricRating }[] }) =>
    call<PracticeRecordingDetail>('PUT', `/api/practice/recordings/${encodeURIComponent(id)}/review`, review),
  comment: (id: string, comment: { atMs: number; text: string }) =>
    call<PracticeRecordingDetail>('POST', `/api/practice/recordings/${encodeURIComponent(id)}/comments`, comment),
  example: (id: string, example: boolean) =>
    call<PracticeRecordingDetail>('PUT', `/api/practice/recordings/${encodeURIComponent(id)}/example`, { example }),
};
