/**
 * zod issues in words a manifest author can act on: each names the field and says what to write instead
 * ("did you mean" for misspelt keys and enum values). Rule issues keep their rule's code and message.
 */
import { z } from 'zod';
import type { RuleIssueParams } from '../rules.js';

/** A zod issue turned into our code, message, and whether it is about a map key (positioned on the key). */
export interface DescribedIssue {
  code: string;
  message: string;
  /** Path to report (may extend the zod path, e.g. with the unknown key). */
  path: (string | number)[];
  onKey: boolean;
  /** The nearest known key or value, when the message names one (see `ValidationIssue.suggestion`). */
  suggestion?: string;
}

/** Edit distance (case-insensitive), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

/** The closest option to `input` when it is a plausible typo (distance ≤ max(2, a third of its length)). */
export function didYouMean(input: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(input, o);
    if (d < bestD) {
      best = o;
      bestD = d;
    }
  }
  return best !== undefined && bestD > 0 && bestD <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

/** Values Karpenter renamed between API versions: old → new (v1beta1 `WhenUnderutilized` is v1 `WhenEmptyOrUnderutilized`). */
export const RENAMED_VALUES: Readonly<Record<string, string>> = { WhenUnderutilized: 'WhenEmptyOrUnderutilized' };

/** The replacement for a misspelt or renamed `input` among `options`, and the message's hint naming it. */
const hint = (input: string, options: readonly string[]): { text: string; suggestion?: string } => {
  const renamed = RENAMED_VALUES[input];
  if (renamed !== undefined && options.includes(renamed)) return { text: ` ("${input}" was renamed to "${renamed}" in karpenter.sh/v1)`, suggestion: renamed };
  const m = didYouMean(input, options) ?? options.find((o) => o.toLowerCase() === input.toLowerCase() && o !== input);
  return m ? { text: ` (did you mean "${m}"?)`, suggestion: m } : { text: '' };
};

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema at `path` below `schema` (through optional, arrays, records, objects), if it can be found. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const seg of path) {
    s = unwrap(s);
    if (!s) return undefined;
    const def = defOf(s);
    if (def.type === 'object') s = (def['shape'] as Record<string, z.ZodType>)[String(seg)];
    else if (def.type === 'array') s = def['element'] as z.ZodType;
    else if (def.type === 'record') s = def['valueType'] as z.ZodType;
    else return undefined;
  }
  return unwrap(s);
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  let cur = s;
  for (let i = 0; cur && i < 10; i++) {
    const def = defOf(cur);
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly') cur = def['innerType'] as z.ZodType;
    else if (def.type === 'pipe') cur = def['in'] as z.ZodType;
    else break;
  }
  return cur;
}

/** Known keys of the object schema at `path`, for unknown-field hints. */
function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, path);
  if (!s) return [];
  const def = defOf(s);
  return def.type === 'object' ? Object.keys(def['shape'] as object) : [];
}

const fieldName = (path: readonly PropertyKey[]): string => {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'value';
};

const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${String(v)}`;
const expectedName = (e: string): string =>
  ({ object: 'a mapping', array: 'a list', int: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false' })[e] ?? `a ${e}`;

/**
 * Describes one zod issue. `root` is the document's schema (for unknown-key hints), `value` the decoded
 * document (for the offending input).
 */
export function describeIssue(issue: z.core.$ZodIssue, root: z.ZodType, value: unknown): DescribedIssue {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const field = `"${fieldName(path)}"`;
  const input = valueAt(value, path);
  switch (issue.code) {
    case 'custom': {
      const params = (issue as { params?: Partial<RuleIssueParams> }).params;
      const code = params?.code ?? 'invalid';
      // Map-key rules (restricted labels, empty tag keys) point at the key.
      const onKey = code === 'restricted-label' || code === 'tag-key-empty' || code === 'tag-restricted' || code === 'selector-tag-empty' || code === 'kubelet-reserved-key' || code === 'kubelet-eviction-signal';
      const atMapKey = onKey && isRecordKeyPath(root, path);
      return { code, message: issue.message, path, onKey: atMapKey };
    }
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const known = knownKeys(root, path);
      const where = path.length ? `"${fieldName(path)}"` : 'the document';
      const h = hint(key, known);
      return {
        code: 'unknown-field',
        message: `unknown field "${key}" in ${where}${h.text}: remove it or fix its spelling${known.length ? `; known fields: ${known.join(', ')}` : ''}`,
        path: [...path, key],
        onKey: true,
        ...(h.suggestion !== undefined ? { suggestion: h.suggestion } : {}),
      };
    }
    case 'invalid_type': {
      if (input === undefined) {
        return { code: 'required', message: requiredMessage(root, path), path, onKey: false };
      }
      return { code: 'invalid-type', message: `${field} must be ${expectedName(issue.expected)}, not ${typeName(input)}`, path, onKey: false };
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      const got = typeof input === 'string' ? input : String(input);
      if (input === undefined) {
        return { code: 'required', message: `${field} is required: set it to ${options.length === 1 ? `"${options[0]}"` : `one of ${options.map((o) => `"${o}"`).join(', ')}`}`, path, onKey: false };
      }
      const h = hint(got, options);
      return {
        code: 'invalid-value',
        message: `${field} must be ${options.length === 1 ? `"${options[0]}"` : `one of ${options.map((o) => `"${o}"`).join(', ')}`}, not ${JSON.stringify(input)}${h.text}`,
        path,
        onKey: false,
        ...(h.suggestion !== undefined ? { suggestion: h.suggestion } : {}),
      };
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
      const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
      const origin = issue.origin;
      let message: string;
      if (origin === 'array' || origin === 'set') message = `${field} must have ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'} (has ${Array.isArray(input) ? input.length : 0})`;
      else if (origin === 'string') message = small && bound === 1 ? `${field} must not be empty` : `${field} must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
      else message = `${field} must be ${small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than'} ${bound}, not ${shownValue(input)}`;
      return { code: small ? 'too-small' : 'too-big', message, path, onKey: false };
    }
    case 'invalid_format': {
      const base = issue.message && !issue.message.startsWith('Invalid') ? issue.message : `must match ${(issue as { pattern?: string }).pattern ?? issue.format}`;
      return { code: 'invalid-format', message: `${field} ${base}, not ${shownValue(input)}`, path, onKey: false };
    }
    case 'invalid_union': {
      return { code: 'invalid-value', message: `${field} must be a Kubernetes quantity such as 2, "500m" or "4Gi", not ${shownValue(input)}`, path, onKey: false };
    }
    case 'invalid_key': {
      return { code: 'invalid-key', message: `${field} has an invalid key: ${issue.issues[0]?.message ?? issue.message}`, path, onKey: true };
    }
    default:
      return { code: issue.code.replace(/_/g, '-'), message: `${field}: ${issue.message}`, path, onKey: false };
  }
}

/**
 * The message for a missing required field. When the enclosing object has a CRD default that holds the field (NodePool
 * `disruption` defaults to `{consolidateAfter: 0s}`), say that the default only applies when the whole object is
 * omitted, as the API server defaults before it validates, and suggest the default's value.
 */
function requiredMessage(root: z.ZodType, path: readonly (string | number)[]): string {
  const key = path[path.length - 1];
  const field = `"${fieldName(path)}"`;
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length ? schemaAt(root, parentPath) : undefined;
  const parentDefault = (parent?.meta() as { default?: unknown } | undefined)?.default;
  if (typeof key === 'string' && parentDefault !== null && typeof parentDefault === 'object' && key in parentDefault) {
    const suggested = (parentDefault as Record<string, unknown>)[key];
    return `${field} is required when "${fieldName(parentPath)}" is given (the CRD's default ${JSON.stringify(parentDefault)} applies only when "${fieldName(parentPath)}" is omitted): add it, e.g. ${key}: ${JSON.stringify(suggested)}`;
  }
  return `${field} is required: add it`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** True when the last path segment is a key of a record (a free map such as labels or tags), not a field. */
function isRecordKeyPath(root: z.ZodType, path: readonly PropertyKey[]): boolean {
  if (!path.length || typeof path[path.length - 1] !== 'string') return false;
  const parent = schemaAt(root, path.slice(0, -1));
  return parent !== undefined && defOf(parent).type === 'record';
}

/** A value as a message shows it: JSON text, `nothing` when absent, never `undefined` or `NaN`. */
export function shownValue(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (typeof input === 'number' && !Number.isFinite(input)) return 'a number that is not finite';
  const text = JSON.stringify(input);
  return text === undefined ? typeof input : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
