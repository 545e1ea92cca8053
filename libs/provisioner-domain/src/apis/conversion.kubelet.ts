/**
 * Where kubelet settings go when converting to v1. Before v1 they were per pool (v1alpha5
 * `Provisioner.spec.kubeletConfiguration`, v1beta1 `NodePool.spec.template.spec.kubelet`); in v1 they belong to
 * the node class (`EC2NodeClass.spec.kubelet`), which several pools may share. Karpenter's v1 migration guide says
 * that pools sharing a node class but differing in kubelet settings need one node class each; so the pools of one
 * node class are grouped by their kubelet settings, and when there is more than one distinct setting each group
 * gets its own copy of the node class, named after it plus the name of the group's first pool
 * (`default-gpu`), and its pools point at that copy. Pools with the same settings share one node class; when all
 * pools agree the node class keeps its name. Pure.
 */
import type { KubeletConfiguration } from './ec2nodeclass.js';

/** One converted pool: its name, the node class it refers to, and its kubelet settings (if any). */
export interface PoolKubelet {
  poolName: string;
  nodeClassName: string;
  kubelet?: KubeletConfiguration | undefined;
}

/** One node class to write: `name` (maybe suffixed) cut from `sourceName`, with the kubelet of its pools. */
export interface PlacedNodeClass {
  sourceName: string;
  name: string;
  kubelet?: KubeletConfiguration;
  pools: string[];
}

/** The plan: node classes per source node class (in first-reference order) and each pool's node class name. */
export interface KubeletPlacement {
  bySource: Map<string, PlacedNodeClass[]>;
  nodeClassOfPool: Map<string, string>;
}

/** JSON with sorted keys, so equal settings written in different orders compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Object names are DNS subdomains of at most 253 characters. */
const MAX_NAME_LENGTH = 253;

/**
 * Plans the node classes for `pools`. `takenNames` are object names already in use (other node classes), which a
 * suffixed name avoids by appending `-2`, `-3`, ...
 */
export function planKubeletPlacement(pools: readonly PoolKubelet[], takenNames: ReadonlySet<string> = new Set()): KubeletPlacement {
  const used = new Set(takenNames);
  const bySource = new Map<string, PlacedNodeClass[]>();
  const nodeClassOfPool = new Map<string, string>();
  const groups = new Map<string, PoolKubelet[]>();
  for (const p of pools) groups.set(p.nodeClassName, [...(groups.get(p.nodeClassName) ?? []), p]);
  for (const [source, members] of groups) {
    const distinct = new Map<string, PoolKubelet[]>();
    for (const m of members) {
      const key = m.kubelet && Object.keys(m.kubelet).length ? canonicalJson(m.kubelet) : '';
      distinct.set(key, [...(distinct.get(key) ?? []), m]);
    }
    const placed: PlacedNodeClass[] = [];
    if (distinct.size === 1) {
      const [only] = [...distinct.values()];
      const kubelet = only?.[0]?.kubelet;
      placed.push({ sourceName: source, name: source, ...(kubelet && Object.keys(kubelet).length ? { kubelet } : {}), pools: (only ?? []).map((m) => m.poolName) });
      used.add(source);
    } else {
      for (const group of distinct.values()) {
        const first = group[0];
        if (!first) continue;
        const base = `${source}-${first.poolName}`.slice(0, MAX_NAME_LENGTH - 4);
        let name = base;
        for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
        used.add(name);
        placed.push({ sourceName: source, name, ...(first.kubelet && Object.keys(first.kubelet).length ? { kubelet: first.kubelet } : {}), pools: group.map((m) => m.poolName) });
      }
    }
    bySource.set(source, placed);
    for (const p of placed) for (const pool of p.pools) nodeClassOfPool.set(pool, p.name);
  }
  return { bySource, nodeClassOfPool };
}
