import { performance } from 'node:perf_hooks';
import { percentile } from './corpus.ts';

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
 * Wall time and this process's CPU time of one call. On a machine shared with other work the
 * wall time also counts the waits for a core; the CPU time is what the call itself cost.
 */
export function timedCpu<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const { value, ms } = timed(fn);
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
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

/** The figures every engine reports, from its load time, memory and per-search timings. */
export function engineReport(loadMs: number, heap: number, queryMs: number[], keyMs: number[]): EngineReport {
  return {
    load_ms: Math.round(loadMs),
    heap_mb: Math.round(heap),
    queries: queryMs.length,
    keystrokes: keyMs.length,
    query_p50_ms: percentile(queryMs, 50),
    query_p95_ms: percentile(queryMs, 95),
    query_p99_ms: percentile(queryMs, 99),
    keystroke_p50_ms: percentile(keyMs, 50),
    keystroke_p95_ms: percentile(keyMs, 95),
    keystroke_p99_ms: percentile(keyMs, 99),
  };
}
