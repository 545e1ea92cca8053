/**
 * Where the cursor is in a (possibly half-typed) YAML manifest, read from the lines around it rather than a parse,
 * because completion happens while the document does not parse: the document's apiVersion and kind, the field path
 * of the mapping being written, whether a key or a value is being typed, and the sibling fields of that mapping
 * (a requirement's `key` while its `values` are typed). Block style and flow lists (`values: [a, b]`) are read.
 */

/** What is being typed. */
export type CursorMode =
  /** a field name: `path` is the mapping's path. */
  | 'key'
  /** the value of `key`: `path` ends with `key`. */
  | 'value'
  /** an item of the list `key` (block `- x` or flow `[x, y]`): `path` ends with `key`. */
  | 'list-item';

/** The cursor's context. Paths hold `0` for list items (the index does not matter to completions). */
export interface CursorContext {
  apiVersion?: string;
  kind?: string;
  mode: CursorMode;
  path: (string | number)[];
  /** The field whose value or list item is typed (mode value / list-item). */
  key?: string;
  /** The word typed so far (without quotes). */
  prefix: string;
  /** Fields of the mapping holding `key` (or the typed key) with their inline values (`''` for none), e.g. `{ key: 'karpenter.sh/capacity-type', operator: 'In' }`. */
  siblings: Record<string, string>;
  /** The 0-based first and last line of the YAML document holding the cursor. */
  documentLines: [number, number];
}

interface LineShape {
  indent: number;
  dash: boolean;
  /** Column where the content after `- ` markers starts. */
  col: number;
  content: string;
}

function shape(line: string): LineShape | undefined {
  const m = /^(\s*)((?:-(?:\s+|$))*)(.*)$/.exec(line);
  if (!m) return undefined;
  const content = (m[3] ?? '').replace(/\s+#.*$/, '');
  if (content.startsWith('#')) return undefined;
  if (content.trim() === '' && !(m[2] ?? '').length) return undefined;
  return { indent: (m[1] ?? '').length, dash: (m[2] ?? '').length > 0, col: (m[1] ?? '').length + (m[2] ?? '').length, content };
}

const KEY_VALUE = /^(["']?)([^\s:"'#][^:"'#]*?)\1\s*:(?:\s+(.*)|$)/;
const unquote = (s: string) => s.trim().replace(/^["']|["']$/g, '');

/** The cursor context at (0-based) `line`, `character` of `text`. */
export function cursorContext(text: string, line: number, character: number): CursorContext {
  const lines = text.split(/\r\n|\r|\n/);
  let first = line;
  while (first > 0 && !/^---/.test(lines[first - 1] ?? '')) first--;
  let last = line;
  while (last < lines.length - 1 && !/^---/.test(lines[last + 1] ?? '')) last++;
  const context: CursorContext = { mode: 'key', path: [], prefix: '', siblings: {}, documentLines: [first, last] };
  for (let i = first; i <= last; i++) {
    const m = /^(apiVersion|kind)\s*:\s*(\S+)/.exec(lines[i] ?? '');
    if (m) context[m[1] as 'apiVersion' | 'kind'] = unquote(m[2] ?? '');
  }

  const before = (lines[line] ?? '').slice(0, character);
  const cur = /^(\s*)((?:-\s+)*)(.*)$/.exec(before);
  const curIndent = (cur?.[1] ?? '').length;
  const curDash = (cur?.[2] ?? '').length > 0;
  let col = curIndent + (cur?.[2] ?? '').length;
  const content = cur?.[3] ?? '';
  const kv = KEY_VALUE.exec(content);
  let focusLine = line;
  if (kv) {
    const value = kv[3] ?? '';
    context.key = kv[2] ?? '';
    if (value.trimStart().startsWith('[')) {
      context.mode = 'list-item';
      context.prefix = unquote(value.slice(value.lastIndexOf(value.includes(',') ? ',' : '[') + 1));
    } else {
      context.mode = 'value';
      context.prefix = unquote(value);
    }
  } else {
    context.prefix = unquote(content);
    if (curDash) {
      // `- x` is a list item of the parent key, unless it starts a mapping item (`- key` being typed in a list of objects).
      const parent = findParent(lines, line, first, curIndent, true);
      if (parent && isScalarList(parent.key)) {
        context.mode = 'list-item';
        context.key = parent.key;
        focusLine = parent.line;
        col = parent.col;
      }
    }
  }

  // Ancestors of the focus line, read upwards: a key with a lower content column is a parent; a `- ` item marker
  // at or below the column means the focus sits inside that list item.
  const focus = focusLine === line ? { indent: curIndent, dash: curDash, col } : (shape(lines[focusLine] ?? '') ?? { indent: col, dash: false, col });
  const path: (string | number)[] = [];
  let atCol = focus.col;
  let inItem = focus.dash;
  if (inItem) {
    path.unshift(0);
    atCol = focus.indent;
  }
  for (let i = focusLine - 1; i >= first; i--) {
    const s = shape(lines[i] ?? '');
    if (!s) continue;
    if (s.col < atCol || (s.dash && s.col === atCol && !inItem)) {
      if (s.col < atCol) {
        const m = KEY_VALUE.exec(s.content);
        if (!m || (m[3] !== undefined && !['', '|', '>'].includes(m[3].trim()))) break;
        path.unshift(m[2] ?? '');
      }
      if (s.dash) {
        path.unshift(0);
        atCol = s.indent;
        inItem = true;
      } else {
        atCol = s.col;
        inItem = false;
      }
    } else if (inItem && !s.dash && s.col === atCol) {
      // compact style: `key:` with its `- ` items at the same indentation
      const m = KEY_VALUE.exec(s.content);
      if (m && (m[3] === undefined || m[3].trim() === '')) {
        path.unshift(m[2] ?? '');
        inItem = false;
      }
    }
  }
  if (context.mode !== 'key' && context.key !== undefined) path.push(context.key);
  context.path = path;
  context.siblings = siblingsAt(lines, focusLine, first, last, focus.col);
  return context;
}

/** Lists whose items are scalars (completion offers values there, not field names). */
function isScalarList(key: string): boolean {
  return ['values', 'reasons', 'clusterDNS', 'securityGroups', 'subnets'].includes(key);
}

/** The nearest line above `line` holding `key:` at a column below `col` (or at `col` when the child is a dash item). */
function findParent(lines: readonly string[], line: number, first: number, col: number, childDash: boolean): { key: string; line: number; col: number; dash: boolean } | undefined {
  for (let i = line - 1; i >= first; i--) {
    const s = shape(lines[i] ?? '');
    if (!s) continue;
    if (s.col < col || (childDash && s.col === col && s.indent === col && !s.dash)) {
      const m = KEY_VALUE.exec(s.content);
      if (m && (m[3] === undefined || m[3].trim() === '' || m[3].trim() === '|' || m[3].trim() === '>')) return { key: m[2] ?? '', line: i, col: s.col, dash: s.dash };
      if (s.col < col) return undefined;
    }
  }
  return undefined;
}

/** Scalar `key: value` fields of the mapping whose keys sit at column `col`, around `line`. */
function siblingsAt(lines: readonly string[], line: number, first: number, last: number, col: number): Record<string, string> {
  const out: Record<string, string> = {};
  const take = (i: number): boolean => {
    const s = shape(lines[i] ?? '');
    if (!s) return true;
    if (s.col < col) return false;
    if (s.col === col) {
      const m = KEY_VALUE.exec(s.content);
      if (m && !(m[2]! in out)) out[m[2]!] = unquote(m[3] ?? '');
      // A dash at this column starts the item: stop going up after it, and stop going down at the next one.
      if (s.dash) return false;
    }
    return true;
  };
  for (let i = line; i >= first; i--) {
    const s = shape(lines[i] ?? '');
    const cont = take(i);
    if (!cont || (s?.dash && s.col === col)) break;
  }
  for (let i = line + 1; i <= last; i++) {
    const s = shape(lines[i] ?? '');
    if (s?.dash && s.col === col) break;
    if (!take(i)) break;
  }
  return out;
}
