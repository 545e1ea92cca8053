/**
 * One rule, two engines: a cross-field rule is written once as a `Rule` with its CEL expression (for the
 * CRD's `x-kubernetes-validations`, enforced by the API server) and a TypeScript check with the same meaning
 * (enforced by zod, so the CLI, the VS Code extension and the controller reject the same manifests with the
 * same words). `tools/crd-gen` reads the CEL side from the schema's metadata.
 */
import { z } from 'zod';

/** A path below the value a rule is attached to, e.g. `[2, 'values']`. */
export type RelativePath = readonly (string | number)[];

/** A cross-field rule. `check` returns the paths (relative to the value) that break it; `[]` when it holds. */
export interface Rule<T> {
  /** Stable issue code, e.g. `requirement-in-without-values`. */
  code: string;
  /** CEL expression over `self` (and `oldSelf` for transition rules), as in `x-kubernetes-validations`. */
  cel: string;
  /** What is wrong and how to fix it; the same text the API server prints. */
  message: string;
  /** A transition rule (uses `oldSelf`): only the API server can check it, on update. */
  transition?: boolean;
  /** The TypeScript twin of `cel`; omitted for transition rules. */
  check?: (self: T) => RelativePath[];
}

/** The `x-kubernetes-validations` entry a rule becomes in the CRD. */
export interface CelValidation {
  rule: string;
  message: string;
}

/** Issue parameters a rule puts on a zod custom issue, so `validate` can report the rule's code. */
export interface RuleIssueParams {
  code: string;
}

/** Metadata key under which a schema carries its CEL validations (read by tools/crd-gen). */
export const CEL_META_KEY = 'x-kubernetes-validations';

/** The one-path result for a rule that fails on the value as a whole. */
export const HERE: RelativePath[] = [[]];

/**
 * Attaches rules to a schema: each becomes a zod refinement (reporting a custom issue with `params.code`) and
 * an `x-kubernetes-validations` entry in the schema's metadata. Returns the new schema.
 */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly Rule<z.output<S>>[]): S {
  // Rules run even when other parts of the value failed (so all problems are reported at once); a check that
  // trips over a malformed value reports nothing, since the value already has a schema issue.
  const refined = schema.superRefine(
    (value, ctx) => {
      for (const rule of rules) {
        if (!rule.check) continue;
        let paths: RelativePath[];
        try {
          paths = rule.check(value);
        } catch {
          continue;
        }
        for (const path of paths) {
          ctx.addIssue({ code: 'custom', message: rule.message, path: [...path], params: { code: rule.code } satisfies RuleIssueParams });
        }
      }
    },
    { when: (payload) => payload.value !== null && typeof payload.value === 'object' || typeof payload.value === 'string' },
  );
  const previous = (z.globalRegistry.get(schema)?.[CEL_META_KEY] as CelValidation[] | undefined) ?? [];
  const validations: CelValidation[] = [...previous, ...rules.map((r) => ({ rule: r.cel, message: r.message }))];
  return refined.meta({ ...(z.globalRegistry.get(schema) ?? {}), [CEL_META_KEY]: validations }) as S;
}

/** Paths `[i, ...sub]` of the items of `items` for which `bad` holds. */
export function eachItem<T>(items: readonly T[] | undefined, bad: (item: T) => boolean, sub: RelativePath = []): RelativePath[] {
  const out: RelativePath[] = [];
  (items ?? []).forEach((item, i) => {
    if (bad(item)) out.push([i, ...sub]);
  });
  return out;
}

/** Paths `[key]` of the keys of `record` for which `bad` holds. */
export function eachKey(record: Readonly<Record<string, unknown>> | undefined, bad: (key: string) => boolean): RelativePath[] {
  return Object.keys(record ?? {}).filter(bad).map((k) => [k]);
}

/**
 * Bounds the number of keys of a map schema: a zod refinement plus `maxProperties` in the CRD (which also
 * bounds the API server's CEL cost estimate for rules over the map).
 */
export function withMaxProperties<S extends z.ZodType<Record<string, unknown>>>(schema: S, max: number): S {
  const refined = schema.superRefine((value, ctx) => {
    if (value === null || typeof value !== 'object') return;
    const n = Object.keys(value).length;
    if (n > max) ctx.addIssue({ code: 'custom', message: `must have at most ${max} entries (has ${n}): remove some`, params: { code: 'max-properties' } satisfies RuleIssueParams });
  });
  return refined.meta({ ...(z.globalRegistry.get(schema) ?? {}), maxProperties: max }) as S;
}
