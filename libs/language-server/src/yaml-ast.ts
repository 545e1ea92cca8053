/**
 * The parsed YAML of a document text: its documents with their offsets, and the field path at an offset (for
 * hovers), read with the same `yaml` parser the domain uses.
 */
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';

/** A field found at an offset: its path, whether the offset is on the key, and the YAML document. */
export interface FieldAt {
  document: number;
  doc: Document;
  path: (string | number)[];
  onKey: boolean;
}

/** Every YAML document of `text` (an empty list when the parser gives up). Never throws. */
export function parseDocuments(text: string): Document[] {
  try {
    const docs = parseAllDocuments(text, { prettyErrors: false });
    return Array.isArray(docs) ? (docs as Document[]) : [];
  } catch {
    return [];
  }
}

const within = (node: unknown, offset: number): boolean => {
  const r = (node as Node | null)?.range;
  return !!r && offset >= r[0] && offset <= r[1];
};

/** The field at `offset`, or undefined outside every mapping. */
export function fieldAt(docs: readonly Document[], offset: number): FieldAt | undefined {
  const index = docs.findIndex((d) => (d.range?.[0] ?? 0) <= offset && offset <= (d.range?.[2] ?? -1));
  const doc = docs[index];
  if (!doc) return undefined;
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 100; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (within(p.key, offset) || within(p.value, offset)));
      if (!pair || !isScalar(pair.key)) return path.length ? { document: index, doc, path, onKey: false } : undefined;
      path.push(String(pair.key.value));
      if (within(pair.key, offset)) return { document: index, doc, path, onKey: true };
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => within(item, offset));
      if (i < 0) return path.length ? { document: index, doc, path, onKey: false } : undefined;
      path.push(i);
      node = node.items[i];
    } else {
      return path.length ? { document: index, doc, path, onKey: false } : undefined;
    }
  }
  return undefined;
}

/** The plain value at `path` of a document (undefined when absent or unreadable). */
export function valueAt(doc: Document, path: readonly (string | number)[]): unknown {
  try {
    const node = path.length ? doc.getIn(path, true) : doc.contents;
    return node && typeof (node as Node).toJSON === 'function' ? (node as Node).toJSON() : node;
  } catch {
    return undefined;
  }
}
