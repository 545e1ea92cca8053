import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { samplesDir } from './harness.js';

/**
 * The seed stories as objects, read from config/samples (the manifests `npm start` applies), for e2e and unit
 * tests. `consolidateAfter` / `ttlSecondsAfterEmpty` are parameters so tests can shorten the 30 s of the story;
 * everything else is exactly what the samples say.
 */

type Manifest = Record<string, unknown> & { kind?: unknown; spec?: Record<string, unknown> };

/** The document of `kind` in `config/samples/<file>`; throws when the file lacks one. */
function sample(file: string, kind: string): Manifest {
  const docs = parseAllDocuments(readFileSync(join(samplesDir, file), 'utf8')).map((d) => d.toJS() as Manifest | null);
  const found = docs.find((d) => d?.kind === kind);
  if (!found) throw new Error(`config/samples/${file} has no ${kind} document`);
  return found;
}

/** The `default` NodePool of the inflate story (WhenEmpty); Ready once {@link defaultEC2NodeClass} exists. */
export function defaultNodePool(consolidateAfter = '30s'): Record<string, unknown> {
  const nodePool = sample('default-nodepool.yaml', 'NodePool');
  const spec = nodePool.spec ?? {};
  return { ...nodePool, spec: { ...spec, disruption: { ...(spec['disruption'] as object), consolidateAfter } } };
}

/**
 * The EC2NodeClass `default` the `default` NodePool references. The simulated provider manages EC2NodeClass
 * and needs only the object to exist (no subnets or AMIs are resolved), so the selectors are placeholders; the
 * object passes the CRD's validation.
 */
export function defaultEC2NodeClass(): Record<string, unknown> {
  return sample('default-nodepool.yaml', 'EC2NodeClass');
}

/** The seed article's v1alpha5 Provisioner, requirements narrowed to the simulated catalog. */
export function seedProvisioner(ttlSecondsAfterEmpty = 30): Record<string, unknown> {
  const provisioner = sample('default-provisioner.yaml', 'Provisioner');
  return { ...provisioner, spec: { ...provisioner.spec, ttlSecondsAfterEmpty } };
}

/** A Deployment of pause pods requesting `cpu` each (the `inflate` deployment of the story). */
export function pauseDeployment(name: string, replicas: number, cpu = '1', namespace = 'default'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name, image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.2', resources: { requests: { cpu } } }],
        },
      },
    },
  };
}

/** A PodDisruptionBudget over `app: <app>` pods. */
export function podDisruptionBudget(name: string, app: string, maxUnavailable: number, namespace = 'default'): Record<string, unknown> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { maxUnavailable, selector: { matchLabels: { app } } },
  };
}
