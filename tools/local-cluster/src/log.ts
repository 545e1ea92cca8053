/**
 * A progress/diagnostic sink. Receives one human-readable line per call (no trailing newline).
 * Default everywhere is {@link defaultLog}, which writes to stderr with a `[local-cluster]` prefix.
 */
export type Log = (line: string) => void;

/** Writes `[local-cluster] <line>` to stderr. */
export const defaultLog: Log = (line) => {
  process.stderr.write(`[local-cluster] ${line}\n`);
};

/** A log that drops everything (for quiet callers). */
export const silentLog: Log = () => {};
