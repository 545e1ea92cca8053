/**
 * Process memory figures for logs: resident set size (now and peak), V8 heap and off-heap buffers, in bytes.
 * Used by the `MEMORY_LOG_INTERVAL` debug log line and the final `stopped` line, to check DESIGN §6's RSS
 * targets (150 MB at 1,000 pods, 500 MB at 20,000).
 */
import type { Logger } from 'pino';

export interface MemoryFigures {
  rssBytes: number;
  /** Highest RSS of the process so far (getrusage ru_maxrss). */
  peakRssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory of C++ objects bound to JS objects (Buffers included). */
  externalBytes: number;
  arrayBuffersBytes: number;
}

/** The current figures (`process.memoryUsage()` + `process.resourceUsage().maxRSS`, which is in KiB). */
export function memoryFigures(): MemoryFigures {
  const usage = process.memoryUsage();
  return {
    rssBytes: usage.rss,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external,
    arrayBuffersBytes: usage.arrayBuffers,
  };
}

/**
 * Logs `memory usage` with {@link memoryFigures} every `intervalMs` (0 = never) until the returned function is
 * called. The timer does not keep the process alive.
 */
export function startMemoryLog(log: Logger, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => undefined;
  const timer = setInterval(() => log.info(memoryFigures(), 'memory usage'), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
