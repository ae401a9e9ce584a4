import { EventEmitter } from 'node:events';
import type { EventName, PitchcaseEvents } from '#shared/contract';
import type { CoreEvents } from './types.ts';

export interface EventBus extends CoreEvents {
  emit<E extends EventName>(event: E, payload: PitchcaseEvents[E]): void;
}

/** A typed event bus: capabilities emit, shells subscribe (per event or to everything). */
export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const ANY = Symbol('any');
  const emit = <E extends EventName>(event: E, payload: PitchcaseEvents[E]) => {
    emitter.emit(event, payload);
    emitter.emit(ANY, event, payload);
  };
  return {
    emit,
    announce: emit,
    on(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    onAny(listener) {
      const wrapped = (event: EventName, payload: unknown) =>
        (listener as (e: EventName, p: unknown) => void)(event, payload);
      emitter.on(ANY, wrapped);
      return () => emitter.off(ANY, wrapped);
    },
  };
}
