/**
 * v1alpha5 selector maps → v1 selector terms, for AMIs, subnets and security groups.
 *
 * A v1alpha5 selector was one map whose entries were ANDed; a few keys were special and the rest were tag
 * filters, whose values could list alternatives separated by commas ("a,b" = a or b). v1 selector terms are ORed,
 * and a term with an `id` may carry nothing else. So:
 * - AMIs: `aws::ids` (and the older `aws-ids`) → one `{id}` term per id; `aws::name` → `name`; `aws::owners` →
 *   `owner`, one term per owner; every other key → `tags`. Comma-separated tag values become one term per
 *   combination, as Karpenter's own v1alpha5 converter expands them (aws/karpenter-provider-aws tools/karpenter-convert,
 *   testdata nodetemplate_cdl_amiSelectors_tags.yaml).
 * - Subnets and security groups: `aws-ids` / `aws::ids` → one `{id}` term per id; every other key → `tags`
 *   (comma-separated values expanded the same way).
 * When ids were combined with other filters, v1alpha5 selected only the listed ids that also matched the filters;
 * v1 cannot express that (an id term carries nothing else), so the id terms alone are kept (they can only select
 * those ids) and a warning says which filters were dropped. Pure.
 */

/** A v1 selector term as these functions build it. */
export interface SelectorTerm {
  id?: string;
  name?: string;
  owner?: string;
  tags?: Record<string, string>;
}

/** A problem found while mapping a selector: `key` is the selector key it is about ('' for the selector). */
export interface SelectorFinding {
  code: string;
  key: string;
  message: string;
}

/** The result of mapping one selector map. */
export interface SelectorConversion {
  terms: SelectorTerm[];
  findings: SelectorFinding[];
}

/** The most terms an EC2NodeClass selector list may hold (the v1 CRD's maxItems). */
export const MAX_SELECTOR_TERMS = 30;

/** Keys of a v1alpha5 AMI selector that are not tags. */
export const AMI_ID_KEYS = ['aws::ids', 'aws-ids'] as const;
export const AMI_NAME_KEY = 'aws::name';
export const AMI_OWNERS_KEY = 'aws::owners';
/** Keys of a v1alpha5 subnet or security group selector that list ids. */
export const ID_KEYS = ['aws-ids', 'aws::ids'] as const;

const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Every combination of the comma-separated alternatives of `tags`, in key order. */
function expandTags(tags: Record<string, string>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [key, value] of Object.entries(tags)) {
    const alternatives = value.includes(',') ? splitList(value) : [value];
    out = out.flatMap((t) => alternatives.map((a) => ({ ...t, [key]: a })));
  }
  return out;
}

function idTerms(selector: Record<string, string>, keys: readonly string[]): { ids: string[]; idKeys: string[] } {
  const idKeys = keys.filter((k) => selector[k] !== undefined);
  const ids = [...new Set(idKeys.flatMap((k) => splitList(selector[k] ?? '')))];
  return { ids, idKeys };
}

function tooMany(terms: SelectorTerm[], field: string, findings: SelectorFinding[]): void {
  if (terms.length > MAX_SELECTOR_TERMS) {
    findings.push({
      code: 'conversion-selector-too-many-terms',
      key: '',
      message: `the comma-separated alternatives expand to ${terms.length} ${field} (at most ${MAX_SELECTOR_TERMS} allowed): list fewer alternatives, or tag the resources with one common tag and select that`,
    });
  }
}

/** Maps a v1alpha5 `subnetSelector` or `securityGroupSelector` to v1 terms. `field` names the v1 list in messages. */
export function idOrTagSelectorToTerms(selector: Record<string, string> | undefined, field: string): SelectorConversion {
  const findings: SelectorFinding[] = [];
  if (!selector) return { terms: [], findings };
  const { ids, idKeys } = idTerms(selector, ID_KEYS);
  const tags = Object.fromEntries(Object.entries(selector).filter(([k]) => !idKeys.includes(k)));
  if (ids.length) {
    for (const key of Object.keys(tags)) {
      findings.push({
        code: 'conversion-selector-filter-dropped',
        key,
        message: `"${key}" narrowed the ids of "${idKeys[0]}" in v1alpha5; a v1 id term carries nothing else, so only the ids are kept (they select exactly those resources)`,
      });
    }
    const terms = ids.map((id) => ({ id }));
    tooMany(terms, field, findings);
    return { terms, findings };
  }
  const terms = Object.keys(tags).length ? expandTags(tags).map((t) => ({ tags: t })) : [];
  tooMany(terms, field, findings);
  return { terms, findings };
}

/** Maps a v1alpha5 `amiSelector` to v1 `amiSelectorTerms`. */
export function amiSelectorToTerms(selector: Record<string, string> | undefined): SelectorConversion {
  const findings: SelectorFinding[] = [];
  if (!selector) return { terms: [], findings };
  const { ids, idKeys } = idTerms(selector, AMI_ID_KEYS);
  const name = selector[AMI_NAME_KEY];
  const owners = selector[AMI_OWNERS_KEY] !== undefined ? splitList(selector[AMI_OWNERS_KEY] ?? '') : [];
  const special = new Set<string>([...idKeys, AMI_NAME_KEY, AMI_OWNERS_KEY]);
  const tags = Object.fromEntries(Object.entries(selector).filter(([k]) => !special.has(k)));
  if (ids.length) {
    for (const key of Object.keys(selector).filter((k) => !idKeys.includes(k))) {
      findings.push({
        code: 'conversion-selector-filter-dropped',
        key,
        message: `"${key}" narrowed the AMIs of "${idKeys[0]}" in v1alpha5; a v1 id term carries nothing else, so only the ids are kept (they select exactly those AMIs)`,
      });
    }
    const terms = ids.map((id) => ({ id }));
    tooMany(terms, 'amiSelectorTerms', findings);
    return { terms, findings };
  }
  const tagSets = Object.keys(tags).length ? expandTags(tags) : [undefined];
  const ownerList: (string | undefined)[] = owners.length ? owners : [undefined];
  // An owner alone selects nothing in v1 (a term needs tags, id, name, alias or ssmParameter): every name matches.
  const nameValue = name ?? (owners.length && !Object.keys(tags).length ? '*' : undefined);
  if (name === undefined && nameValue === '*') {
    findings.push({
      code: 'conversion-ami-owner-only',
      key: AMI_OWNERS_KEY,
      message: 'an owner alone is not a v1 AMI selector term: wrote name "*" with each owner, which selects every AMI of that owner, as before',
    });
  }
  const terms: SelectorTerm[] = [];
  for (const owner of ownerList) {
    for (const t of tagSets) {
      terms.push({ ...(nameValue !== undefined ? { name: nameValue } : {}), ...(owner !== undefined ? { owner } : {}), ...(t ? { tags: t } : {}) });
    }
  }
  const nonEmpty = terms.filter((t) => Object.keys(t).length > 0);
  tooMany(nonEmpty, 'amiSelectorTerms', findings);
  return { terms: nonEmpty, findings };
}
