/**
 * The server's settings, from `initializationOptions` or the `karpenterTs` configuration section: the catalog file,
 * the debounce delay and where rule docs live. Unknown or mistyped entries fall back to the defaults.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Settings of the language server. */
export interface ServerSettings {
  /** Path of a file holding an InstanceTypeCatalog document (DESIGN §4.1); undefined = the simulated default catalog. */
  catalogFile?: string;
  /** Delay between the last edit of a document and its diagnostics, in milliseconds. */
  debounceMs: number;
  /** Base of rule doc links; a diagnostic links to `<rulesDocUrl>#<code>`. */
  rulesDocUrl: string;
}

/** The repository's docs/rules.md, as a file URL (the docs ship with the sources). */
export const DEFAULT_RULES_DOC_URL = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/rules.md')).href;

/** Default debounce: long enough to skip keystrokes, short enough to feel live. */
export const DEFAULT_DEBOUNCE_MS = 150;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads settings from `raw` (an initializationOptions object, or a configuration section, or one wrapped in
 * `{ karpenterTs: ... }`). `base` supplies values `raw` does not set. Never throws.
 */
export function readSettings(raw: unknown, base: ServerSettings = { debounceMs: DEFAULT_DEBOUNCE_MS, rulesDocUrl: DEFAULT_RULES_DOC_URL }): ServerSettings {
  const section = isRecord(raw) && isRecord(raw['karpenterTs']) ? raw['karpenterTs'] : raw;
  const out: ServerSettings = { ...base };
  if (!isRecord(section)) return out;
  const catalogFile = section['catalogFile'];
  if (typeof catalogFile === 'string' && catalogFile.trim() !== '') out.catalogFile = catalogFile;
  else if (catalogFile === null || catalogFile === '') delete out.catalogFile;
  const debounce = section['debounceMs'];
  if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0 && debounce <= 10_000) out.debounceMs = debounce;
  const docs = section['rulesDocUrl'];
  if (typeof docs === 'string' && docs !== '') out.rulesDocUrl = docs;
  return out;
}
