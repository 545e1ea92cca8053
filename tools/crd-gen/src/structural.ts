/**
 * Turns the JSON Schema that `z.toJSONSchema` produces into a Kubernetes structural schema (OpenAPI v3 as
 * apiextensions.k8s.io/v1 accepts it): no `$schema`/`$ref`/`const`/`propertyNames`, no `additionalProperties:
 * false` (closed objects are expressed by the absence of `x-kubernetes-preserve-unknown-fields`), open objects
 * and free maps marked `x-kubernetes-preserve-unknown-fields`, integer-or-quantity unions as
 * `x-kubernetes-int-or-string`, map-key constraints as CEL rules, numeric `exclusiveMinimum` as the boolean form.
 * Keys are emitted sorted, as controller-gen does, so the output is stable.
 */

/** A JSON Schema node as produced by zod. */
export type JsonSchema = { [key: string]: unknown };

/** A node that cannot be expressed as a structural schema. */
export class UnsupportedSchemaError extends Error {
  readonly code = 'UnsupportedSchema' as const;
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'UnsupportedSchemaError';
  }
}

const SAFE_INT = 9007199254740991;
const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Converts one node (recursively). `path` names the node in errors, e.g. `spec.template`. */
export function toStructural(node: JsonSchema, path = ''): JsonSchema {
  if (Array.isArray(node['anyOf']) || Array.isArray(node['oneOf'])) return union(node, path);
  if (node['$ref'] !== undefined) throw new UnsupportedSchemaError('$ref is not allowed in a structural schema', path);
  const out: JsonSchema = {};
  copy(node, out, ['description', 'default', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'format', 'x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-map-type']);
  if (node['const'] !== undefined) out['enum'] = [node['const']];
  if (Array.isArray(node['enum'])) out['enum'] = [...(node['enum'] as unknown[])];
  const type = node['type'];
  if (type === undefined) {
    // z.unknown(): anything goes
    out['x-kubernetes-preserve-unknown-fields'] = true;
    return sortKeys(out);
  }
  if (typeof type !== 'string') throw new UnsupportedSchemaError(`type must be a single type, got ${JSON.stringify(type)}`, path);
  out['type'] = type;
  if (type === 'integer' || type === 'number') numeric(node, out);
  if (type === 'array') {
    if (!isObject(node['items'])) throw new UnsupportedSchemaError('arrays need one items schema', path);
    out['items'] = toStructural(node['items'], `${path}[]`);
  }
  if (type === 'object') object(node, out, path);
  return sortKeys(out);
}

function copy(from: JsonSchema, to: JsonSchema, keys: string[]): void {
  for (const k of keys) if (from[k] !== undefined) to[k] = from[k];
}

function numeric(node: JsonSchema, out: JsonSchema): void {
  const min = node['minimum'];
  const max = node['maximum'];
  if (typeof min === 'number' && min !== -SAFE_INT) out['minimum'] = min;
  if (typeof max === 'number' && max !== SAFE_INT) out['maximum'] = max;
  if (typeof node['exclusiveMinimum'] === 'number') {
    out['minimum'] = node['exclusiveMinimum'];
    out['exclusiveMinimum'] = true;
  }
  if (typeof node['exclusiveMaximum'] === 'number') {
    out['maximum'] = node['exclusiveMaximum'];
    out['exclusiveMaximum'] = true;
  }
  if (out['type'] === 'integer') {
    const lo = out['minimum'];
    const hi = out['maximum'];
    const int32 = (v: unknown) => typeof v === 'number' && v >= -2147483648 && v <= 2147483647;
    out['format'] = int32(lo) && int32(hi) && lo !== undefined && hi !== undefined ? 'int32' : 'int64';
  }
}

function object(node: JsonSchema, out: JsonSchema, path: string): void {
  const props = node['properties'];
  const additional = node['additionalProperties'];
  if (isObject(props)) {
    const converted: JsonSchema = {};
    for (const [k, v] of Object.entries(props)) converted[k] = toStructural(v as JsonSchema, path ? `${path}.${k}` : k);
    out['properties'] = converted;
    if (Array.isArray(node['required']) && node['required'].length) out['required'] = [...(node['required'] as string[])].sort();
    if (isObject(additional) && Object.keys(additional).length === 0) out['x-kubernetes-preserve-unknown-fields'] = true;
    return;
  }
  if (isObject(additional)) {
    if (Object.keys(additional).length === 0) out['x-kubernetes-preserve-unknown-fields'] = true;
    else out['additionalProperties'] = toStructural(additional, `${path}.*`);
  } else if (additional !== false) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  const names = node['propertyNames'];
  if (isObject(names)) {
    const checks: string[] = [];
    if (typeof names['pattern'] === 'string') checks.push(`k.matches(${celString(names['pattern'])})`);
    if (typeof names['maxLength'] === 'number') checks.push(`size(k) <= ${names['maxLength']}`);
    if (typeof names['minLength'] === 'number') checks.push(`size(k) >= ${names['minLength']}`);
    if (checks.length) {
      const rules = (out['x-kubernetes-validations'] as JsonSchema[] | undefined) ?? [];
      out['x-kubernetes-validations'] = [
        { rule: `self.all(k, ${checks.join(' && ')})`, message: keyMessage(names) },
        ...rules,
      ];
    }
  }
}

function keyMessage(names: JsonSchema): string {
  if (typeof names['x-key-message'] === 'string') return names['x-key-message'];
  const parts: string[] = [];
  if (typeof names['pattern'] === 'string') parts.push(`match ${names['pattern']}`);
  if (typeof names['maxLength'] === 'number') parts.push(`be at most ${names['maxLength']} characters`);
  return `every key must ${parts.join(' and ')}`;
}

/** A CEL string literal (single-quoted, backslashes and quotes escaped). */
export function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function union(node: JsonSchema, path: string): JsonSchema {
  const branches = ((node['anyOf'] ?? node['oneOf']) as JsonSchema[]).filter(isObject);
  const types = branches.map((b) => b['type']).sort();
  if (branches.length === 2 && types[0] === 'integer' && types[1] === 'string') {
    const str = branches.find((b) => b['type'] === 'string') ?? {};
    const out: JsonSchema = {
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    };
    copy(str, out, ['pattern']);
    copy(node, out, ['description', 'default', 'x-kubernetes-validations']);
    return sortKeys(out);
  }
  throw new UnsupportedSchemaError(`unions other than integer-or-string cannot be structural (got ${JSON.stringify(types)})`, path);
}

function sortKeys(o: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}
