/**
 * Where a field path lands in a YAML document: the node's text range, as 1-based line/column pairs. A path
 * that does not exist (a missing required field) lands on the deepest node that does, so every issue has a
 * position inside the document.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/** A text range as 1-based line/column pairs (end is exclusive). */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Offsets [start, end) of a YAML node, if it has a range. */
function offsets(node: Node | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

/**
 * The offsets of `path` in `doc`. With `key`, the last segment's key (rather than its value) is the target,
 * for problems with a map key itself. Falls back to the deepest existing node, then to the document.
 */
export function locateOffsets(doc: Document, path: readonly PropertyKey[], options: { key?: boolean } = {}): [number, number] {
  let node: unknown = doc.contents;
  let best = offsets(doc.contents as Node | null) ?? [doc.range?.[0] ?? 0, doc.range?.[1] ?? 0];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyRange = offsets(pair.key as Node);
      if (last && options.key && keyRange) return keyRange;
      const valueRange = offsets(pair.value as Node | null);
      if (!valueRange || (pair.value as Node | null) === null) {
        if (keyRange) best = keyRange;
        break;
      }
      best = valueRange;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      const r = offsets(item);
      if (!r) break;
      best = r;
      node = item;
    } else {
      break;
    }
  }
  return best;
}

/**
 * Offsets → 1-based lines and columns, with line breaks as editors count them (`\n`, `\r\n` and a lone `\r`).
 * Offsets past the end are clamped to the end of the text.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** The 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - (this.starts[lo] ?? 0) + 1 };
  }
}

/** Offsets → 1-based line/column range. An empty range is widened by one column. */
export function toRange(index: LineIndex, [start, end]: [number, number]): TextRange {
  const a = index.position(start);
  const b = index.position(Math.max(end, start));
  const range = { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  if (range.endLine === range.line && range.endColumn <= range.column) range.endColumn = range.column + 1;
  return range;
}
