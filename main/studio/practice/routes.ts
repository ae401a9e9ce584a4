import { z } from 'zod';
import { PRACTICE_PATHS, type PracticeFeed, type PracticeUploadState } from '#shared/practice-review';
import { route, type Routes } from '../context.ts';
import { authenticateDevice } from '../fleet/device-auth.ts';
import { deviceCall, json } from '../fleet/device-routes.ts';
import { readDeviceJson } from '../fleet/ingest.ts';
import {
  addComment,
  commentInput,
  exampleAudio,
  listQuery,
  listRecordings,
  markExample,
  practiceFeedFor,
  recordingAudio,
  recordingDetail,
  reviewInput,
  saveReview,
} from './reviews.ts';
import { appendPracticeUpload, startPracticeUpload } from './uploads.ts';

const recordingId = z.string().min(1).max(64);
const START_BODY_LIMIT = 64 * 1024;

/** What a device calls (its credential checked on every call) and what reviewers do in Studio's UI. */
export const practiceRoutes: Routes = {
  'practice.uploads.start': route({
    method: 'POST',
    path: PRACTICE_PATHS.uploads,
    args: z.object({}).strict(),
    body: 'stream',
    run: deviceCall(async (ctx, _caller, request): Promise<PracticeUploadState> => {
      const device = await authenticateDevice(ctx, request);
      return startPracticeUpload(ctx, device, await readDeviceJson(request, START_BODY_LIMIT));
    }),
  }),
  'practice.uploads.append': route({
    method: 'PUT',
    path: `${PRACTICE_PATHS.uploads}/:upload`,
    args: z.object({ upload: z.string().min(1).max(64), offset: z.coerce.number().int().min(0) }).strict(),
    body: 'stream',
    run: async (ctx, caller, args, request) =>
      deviceCall(async (c, _caller, req): Promise<PracticeUploadState> => {
        const device = await authenticateDevice(c, req);
        return appendPracticeUpload(c, device, args.upload, args.offset, req);
      })(ctx, caller, args, request),
  }),
  'practice.feed': route({
    method: 'GET',
    path: PRACTICE_PATHS.feed,
    args: z.object({ after: z.string().max(100).optional() }).strict(),
    run: async (ctx, caller, args, request) =>
      deviceCall(async (c, _caller, req): Promise<PracticeFeed> => {
        const device = await authenticateDevice(c, req);
        return practiceFeedFor(c, device.id, args.after);
      })(ctx, caller, args, request),
  }),
  'practice.examples.audio': route({
    method: 'GET',
    path: `${PRACTICE_PATHS.examples}/:id`,
    args: z.object({ id: recordingId }).strict(),
    run: async (ctx, caller, args, request) => {
      // The audio is the answer itself; a refused credential still gets the device's wire shape.
      const checked = await deviceCall(async (c, _caller, req) => {
        await authenticateDevice(c, req);
        return null;
      })(ctx, caller, args, request);
      if (checked.status !== 200) return checked;
      try {
        return await exampleAudio(ctx, args.id);
      } catch {
        return json(404, { error: 'not-found', message: 'No such example.' });
      }
    },
  }),
  'practice.list': route({
    method: 'GET',
    path: '/api/practice/recordings',
    args: listQuery,
    run: (ctx, caller, args) => listRecordings(ctx, caller, args),
  }),
  'practice.get': route({
    method: 'GET',
    path: '/api/practice/recordings/:id',
    args: z.object({ id: recordingId }).strict(),
    run: (ctx, caller, args) => recordingDetail(ctx, caller, args.id),
  }),
  'practice.audio': route({
    method: 'GET',
    path: '/api/practice/recordings/:id/audio',
    args: z.object({ id: recordingId }).strict(),
    run: (ctx, caller, args, request) => recordingAudio(ctx, caller, args.id, request.headers.range),
  }),
  'practice.review': route({
    method: 'PUT',
    path: '/api/practice/recordings/:id/review',
    args: reviewInput,
    run: (ctx, caller, args) => saveReview(ctx, caller, args),
  }),
  'practice.comment': route({
    method: 'POST',
    path: '/api/practice/recordings/:id/comments',
    args: commentInput,
    run: (ctx, caller, args) => addComment(ctx, caller, args),
  }),
  'practice.example': route({
    method: 'PUT',
    path: '/api/practice/recordings/:id/example',
    args: z.object({ id: recordingId, example: z.boolean() }).strict(),
    run: (ctx, caller, args) => markExample(ctx, caller, args),
  }),
};
