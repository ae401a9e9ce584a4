import { performance } from 'node:perf_hooks';

export interface EngineReport {
  load_ms: number;
  heap_mb: number;
  queries: number;
  keystrokes: number;
  query_p50_ms: number;
  query_p95_ms: number;
  query_p99_ms: number;
  keystroke_p50_ms: number;
  keystroke_p95_ms: number;
  keystroke_p99_ms: number;
}

export function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

/**
 * Memory the engine holds: JS heap plus ArrayBuffers (typed arrays live outside the JS heap,
 * and leaving them out would flatter an engine built on them). Needs --expose-gc.
 */
export function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}
