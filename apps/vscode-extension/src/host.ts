/**
 * The host seam: every VS Code call the extension's logic needs, as a small interface. `vscode-host.ts` adapts the
 * real `vscode` API; unit tests pass a fake. Modules take a `Host` and return `Disposable`s.
 */

/** Something to release when the extension deactivates (VS Code's `Disposable` shape). */
export interface Disposable {
  dispose(): void;
}

export interface QuickPickItem {
  label: string;
  description?: string;
}

/** A status-bar item the logic can fill (text may hold `$(icon)` codicons). */
export interface StatusItem extends Disposable {
  show(text: string, tooltip: string, command?: string): void;
  hide(): void;
}

export interface Host {
  /** A plain, one-sentence notification; `error` for failures a person must act on. */
  notify(kind: 'info' | 'warning' | 'error', message: string): void;
  writeClipboard(text: string): Promise<void>;
  /** One choice among `items`, or `undefined` when dismissed. */
  pick(items: readonly QuickPickItem[], placeholder: string): Promise<QuickPickItem | undefined>;
  createStatusItem(id: string, priority: number): StatusItem;
  /** Reads a workspace setting of the `karpenterTs` section. */
  setting<T>(key: string, fallback: T): T;
}

/** Disposes every item; one that throws does not stop the others. */
export function disposeAll(items: Iterable<Disposable>): void {
  for (const item of items) {
    try {
      item.dispose();
    } catch {
      // A failing dispose must not keep the rest alive.
    }
  }
}

/** Runs `fn` at most once per `delayMs` after the last `trigger()`; `dispose()` cancels a pending run. */
export function debounce(fn: () => void, delayMs: number): { trigger(): void } & Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    trigger() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, delayMs);
    },
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
