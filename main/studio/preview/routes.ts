import { z } from 'zod';
import { previewDevices, type PreviewDevice } from '#shared/studio';
import { route, type Routes } from '../context.ts';
import { channelId, requireChannel } from '../library/routes.ts';
import { draftOf } from '../releases/routes.ts';
import { startPreview, stopPreview } from './previews.ts';

const device = z.enum(Object.keys(previewDevices) as [PreviewDevice, ...PreviewDevice[]]);

export const previewRoutes: Routes = {
  'previews.start': route({
    method: 'POST',
    path: '/api/channels/:channel/previews',
    args: z.object({ channel: channelId, device }).strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      return startPreview(ctx, {
        channel: args.channel,
        device: args.device,
        userId: caller.user!.id,
        draft: await draftOf(ctx, args.channel),
        studioOrigin: caller.origin,
      });
    },
  }),
  'previews.stop': route({
    method: 'DELETE',
    path: '/api/previews/:id',
    args: z.object({ id: z.string().regex(/^[0-9a-f]{18}$/) }).strict(),
    async run(ctx, caller, args) {
      await stopPreview(ctx, args.id, caller.user!);
      return { closed: args.id };
    },
  }),
};
