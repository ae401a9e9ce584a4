export { pendingOutboxCount } from './store.ts';
