/** Reads the domain's zod schemas for editor features: the fields of an object and the values of an enum at a path. */
import { findKind, schemaAt } from '@karpenter-ts/provisioner-domain';

/** A zod schema of the domain. */
type Schema = Parameters<typeof schemaAt>[0];

type Def = { type: string; [k: string]: unknown };
const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The root schema of a Karpenter document, if `apiVersion`/`kind` name one. */
export function rootSchema(apiVersion: string | undefined, kind: string | undefined): Schema | undefined {
  return apiVersion && kind ? findKind(apiVersion, kind)?.schema : undefined;
}

/** Field names of the object schema at `path` (list indexes may be any number). */
export function fieldsAt(root: Schema, path: readonly (string | number)[]): string[] {
  const s = schemaAt(root, path);
  return s && defOf(s).type === 'object' ? Object.keys(defOf(s)['shape'] as object) : [];
}

/** The allowed values of the enum or literal at `path`, or of the list items there. */
export function enumAt(root: Schema, path: readonly (string | number)[]): string[] {
  let s = schemaAt(root, path);
  if (s && defOf(s).type === 'array') s = schemaAt(root, [...path, 0]);
  if (!s) return [];
  const def = defOf(s);
  if (def.type === 'enum') return Object.values(def['entries'] as Record<string, string>).map(String);
  if (def.type === 'literal') return (def['values'] as unknown[]).map(String);
  return [];
}
