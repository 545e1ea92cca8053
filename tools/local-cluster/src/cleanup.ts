/**
 * Process-wide safety net: whatever is registered here is torn down when the Node process exits
 * or receives SIGINT/SIGTERM/SIGHUP, so a crashed test or a Ctrl-C leaves no control plane behind.
 */

/** One registered resource. */
export interface CleanupEntry {
  /** Graceful, asynchronous teardown used on signals. */
  stop: () => Promise<void>;
  /** Last-resort synchronous teardown used on `exit` (e.g. SIGKILL every process group). */
  killSync: () => void;
}

const entries = new Set<CleanupEntry>();
const signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;
let stopping = false;

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  const all = [...entries];
  await Promise.race([Promise.allSettled(all.map((e) => e.stop())), new Promise((r) => setTimeout(r, 10_000).unref())]);
  for (const e of all) e.killSync();
  entries.clear();
  for (const s of signals) process.removeListener(s, handler);
  installed = false;
  stopping = false;
  // Keep the default behaviour (terminate) unless the host program handles the signal itself.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function handler(signal: NodeJS.Signals): void {
  void onSignal(signal);
}

function onExit(): void {
  for (const e of entries) e.killSync();
}

/** Registers `entry`; returns a function that unregisters it (call it after a normal stop). */
export function registerCleanup(entry: CleanupEntry): () => void {
  if (!installed) {
    for (const s of signals) process.on(s, handler);
    installed = true;
  }
  process.removeListener('exit', onExit);
  process.on('exit', onExit);
  entries.add(entry);
  return () => {
    entries.delete(entry);
    if (entries.size === 0 && installed) {
      for (const s of signals) process.removeListener(s, handler);
      process.removeListener('exit', onExit);
      installed = false;
    }
  };
}
