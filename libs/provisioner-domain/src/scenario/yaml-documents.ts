/**
 * Multi-document YAML with source positions: each document's plain value plus a way to find the line and
 * column of any field path in it, so that issues can point at the text a person wrote.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { formatPath } from '../apis/index.js';
import type { ScenarioFile, ScenarioIssue } from './types.js';
import { MAX_YAML_DEPTH, yamlNesting } from './yaml-limits.js';

/** A field path inside a document: keys and list indexes, e.g. `['spec', 'containers', 0, 'resources']`. */
export type FieldPath = readonly (string | number)[];

/** One YAML document of a file. */
export interface SourceDocument {
  file: string;
  /** 0-based index of the document in its file (as `validate` counts). */
  document: number;
  value: unknown;
  /** 1-based line and column of the deepest existing node along `path` (a map key's own position for keys). */
  locate(path: FieldPath): { line: number; column: number };
}

/** Builds an issue located at `path` of `doc`. */
export function issueAt(doc: SourceDocument, path: FieldPath, severity: ScenarioIssue['severity'], code: string, message: string): ScenarioIssue {
  const { line, column } = doc.locate(path);
  return { severity, code, file: doc.file, document: doc.document, path: formatPath(path), line, column, message };
}

function locator(doc: Document, lines: LineCounter, fallbackOffset: number): (path: FieldPath) => { line: number; column: number } {
  return (path) => {
    let node: unknown = doc.contents;
    let offset = (node as YamlNode | null)?.range?.[0] ?? fallbackOffset;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
        next = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
        if (next === undefined || next === null) break;
        offset = (next as YamlNode).range?.[0] ?? offset;
      } else {
        break;
      }
      if (next === null || next === undefined) break;
      // A scalar at the end of the path: point at the value rather than at its key.
      if (i === path.length - 1 && isScalar(next)) offset = next.range?.[0] ?? offset;
      node = next;
    }
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

/** Aliases a document may resolve before it is refused as an alias bomb (as `validate` allows). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses every document of a file; a text nested deeper than `MAX_YAML_DEPTH` is one `yaml-too-deep` issue. YAML syntax errors become `yaml-syntax` issues (duplicate keys `duplicate-key`) in
 * `issues`; documents with syntax errors, and empty documents (a stray `---`), are left out of the result.
 */
export function readDocuments(file: ScenarioFile, issues: ScenarioIssue[]): SourceDocument[] {
  const nesting = yamlNesting(file.text);
  if (nesting.depth > MAX_YAML_DEPTH) {
    issues.push({ severity: 'error', code: 'yaml-too-deep', file: file.name, document: 0, path: '', line: nesting.line, column: 1, message: `the YAML nests ${nesting.depth} levels deep here; the limit is ${MAX_YAML_DEPTH}: flatten it` });
    return [];
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(file.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const out: SourceDocument[] = [];
  // An empty stream parses to an EmptyStream value: nothing to read.
  if (!Array.isArray(docs)) return out;
  docs.forEach((doc, i) => {
    const start = doc.range?.[0] ?? 0;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = lines.linePos(error.pos[0]);
        issues.push({
          severity: 'error',
          code: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
          file: file.name,
          document: i,
          path: '',
          line: pos.line,
          column: pos.col,
          message:
            error.code === 'DUPLICATE_KEY'
              ? `${error.message.split('\n')[0] ?? ''}: keep one of them`
              : /call stack/i.test(error.message)
                ? 'YAML: the document is nested too deeply to read: flatten it'
                : `YAML syntax: ${error.message.split('\n')[0] ?? error.message}`,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // Alias bombs and aliases to anchors of another document: the yaml library refuses them while resolving.
      const pos = lines.linePos(start);
      const message = (err as Error).message;
      issues.push({
        severity: 'error',
        code: /alias count/i.test(message) ? 'yaml-alias-limit' : 'yaml-syntax',
        file: file.name,
        document: i,
        path: '',
        line: pos.line,
        column: pos.col,
        message: /alias count/i.test(message)
          ? `the document expands aliases more than ${MAX_ALIAS_COUNT} times (a "billion laughs" alias bomb?): write the values out`
          : /Unresolved alias/i.test(message)
            ? `YAML: ${message.split('\n')[0] ?? message}; anchors do not carry across documents (---): repeat the value`
            : `YAML: ${message.split('\n')[0] ?? message}`,
      });
      return;
    }
    if (value === null || value === undefined) return;
    out.push({ file: file.name, document: i, value, locate: locator(doc, lines, start) });
  });
  return out;
}

/**
 * Finds fields in a file's text: `(document, path)` → 1-based line and column of the field (or of the nearest
 * enclosing one that exists), `document` 0-based. Parses the text once; a document that cannot be read gives
 * its first line. For messages produced away from the YAML (conversion notes) that need a position.
 */
export function fieldLocator(file: ScenarioFile): (document: number, path: FieldPath) => { line: number; column: number } {
  const docs = readDocuments(file, []);
  return (document, path) => docs.find((d) => d.document === document)?.locate(path) ?? { line: 1, column: 1 };
}
