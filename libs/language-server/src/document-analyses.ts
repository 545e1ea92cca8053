/**
 * Debounced, per-document analysis: each edit restarts the document's timer; when it fires, the newest text is
 * analysed once and published, and the result is kept for code actions, code lenses and hovers. A run whose
 * document changed meanwhile is dropped (the newer edit has its own timer), so work always yields to newer edits;
 * the work itself is bounded by `MAX_DOCUMENT_CHARS`.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis, type AnalysisContext } from './analysis.js';

/** A finished analysis of one document version. */
export interface DocumentAnalysis extends Analysis {
  uri: string;
  version: number;
}

/** Dependencies of the scheduler. */
export interface AnalysisHost {
  /** The context of analysing `document` (its own EC2NodeClass names need not be in it). */
  context(document: TextDocument): AnalysisContext;
  debounceMs(): number;
  publish(result: DocumentAnalysis): void;
  /** Called with each published result, e.g. to update workspace indexes from what it found. */
  afterRun?(result: DocumentAnalysis): void;
  /** Called with an unexpected error (a bug): logged, never thrown into the connection. */
  onError(uri: string, err: unknown): void;
}

/** Schedules and caches analyses. */
export class DocumentAnalyses {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, DocumentAnalysis>();

  constructor(private readonly host: AnalysisHost) {}

  /** Analyses `document` after the debounce delay (restarting it on every call). */
  schedule(document: TextDocument, get: () => TextDocument | undefined): void {
    const pending = this.timers.get(document.uri);
    if (pending) clearTimeout(pending);
    const expected = document.version;
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        const current = get();
        if (!current || current.version !== expected) return;
        this.run(current);
      }, this.host.debounceMs()),
    );
  }

  /** Analyses now (no debounce) and publishes; returns the result. */
  run(document: TextDocument): DocumentAnalysis | undefined {
    try {
      const result: DocumentAnalysis = { uri: document.uri, version: document.version, ...analyze(document.getText(), this.host.context(document)) };
      this.results.set(document.uri, result);
      this.host.publish(result);
      this.host.afterRun?.(result);
      return result;
    } catch (err) {
      this.host.onError(document.uri, err);
      return undefined;
    }
  }

  /** The analysis of exactly this version, computing it now when the cached one is older. */
  current(document: TextDocument): DocumentAnalysis | undefined {
    const cached = this.results.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    try {
      return { uri: document.uri, version: document.version, ...analyze(document.getText(), this.host.context(document)) };
    } catch (err) {
      this.host.onError(document.uri, err);
      return undefined;
    }
  }

  /** Forgets a closed document. */
  forget(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.results.delete(uri);
  }

  /** Cancels every timer (shutdown). */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
