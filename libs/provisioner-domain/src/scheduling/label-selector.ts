import type { LabelSelector } from '../core/types.js';

/** A compiled metav1.LabelSelector: `matches(labels)`; `key` is a canonical text for grouping equal selectors. */
export interface CompiledSelector {
  readonly key: string;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

const NOTHING: CompiledSelector = { key: '<nothing>', matches: () => false };

/**
 * Compiles a LabelSelector with Kubernetes semantics: `matchLabels` AND `matchExpressions`; `In` needs the
 * label with a listed value, `NotIn` allows absence, `Exists`/`DoesNotExist`; an empty selector `{}` matches
 * everything and `undefined` (null) matches nothing, as in pod affinity terms and topology spread constraints.
 * `extra` adds `In`/`NotIn` expressions (used for `matchLabelKeys` / `mismatchLabelKeys`).
 */
export function compileSelector(selector: LabelSelector | undefined, extra: LabelSelector['matchExpressions'] = []): CompiledSelector {
  if (!selector) return NOTHING;
  const expressions = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, operator: 'In' as const, values: [value] })),
    ...(selector.matchExpressions ?? []),
    ...extra,
  ];
  const compiled = expressions.map((e) => ({ key: e.key, operator: e.operator, values: new Set(e.values ?? []) }));
  const key = JSON.stringify(
    expressions.map((e) => [e.key, e.operator, [...(e.values ?? [])].sort()]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
  return {
    key,
    matches(labels) {
      for (const e of compiled) {
        const value = labels?.[e.key];
        switch (e.operator) {
          case 'In':
            if (value === undefined || !e.values.has(value)) return false;
            break;
          case 'NotIn':
            if (value !== undefined && e.values.has(value)) return false;
            break;
          case 'Exists':
            if (value === undefined) return false;
            break;
          case 'DoesNotExist':
            if (value !== undefined) return false;
            break;
          default:
            return false;
        }
      }
      return true;
    },
  };
}

/** One-off match of a selector against labels (see `compileSelector`). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  return compileSelector(selector).matches(labels);
}
