/**
 * Which cluster the extension talks to: the kubeconfig's current context (or the one the user switched to),
 * read with `@kubernetes/client-node`. Problems come back as one plain sentence naming the fix.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';

export type LoadedKubeConfig =
  | { ok: true; kubeConfig: KubeConfig; path: string; context: string; server: string; contexts: string[] }
  | { ok: false; message: string; path: string; contexts: string[] };

/**
 * Loads `path` and selects `context` (default: the file's current context). Never throws: a missing or
 * unreadable file, a file with no contexts, no current context, or a context naming no cluster each return
 * `{ ok: false, message }` with what to do.
 */
export function loadKubeConfig(path: string, context?: string): LoadedKubeConfig {
  if (!existsSync(path)) {
    return { ok: false, path, contexts: [], message: `No kubeconfig at ${path}. Set "karpenterTs.kubeconfig" or KUBECONFIG, or start a local cluster with "npm start".` };
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(path);
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ok: false, path, contexts: [], message: `The kubeconfig ${path} cannot be read (${detail}). Fix the file or point "karpenterTs.kubeconfig" at another one.` };
  }
  const contexts = kubeConfig.getContexts().map((c) => c.name);
  if (contexts.length === 0) return { ok: false, path, contexts, message: `The kubeconfig ${path} has no contexts. Add one with "kubectl config set-context", or use another kubeconfig.` };
  const chosen = context ?? kubeConfig.getCurrentContext();
  if (!chosen) {
    return { ok: false, path, contexts, message: `The kubeconfig ${path} has no current context. Pick one with "Karpenter: Switch Cluster Context" (or "kubectl config use-context NAME").` };
  }
  if (!contexts.includes(chosen)) {
    return { ok: false, path, contexts, message: `The kubeconfig ${path} has no context named "${chosen}". Pick one with "Karpenter: Switch Cluster Context".` };
  }
  kubeConfig.setCurrentContext(chosen);
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) return { ok: false, path, contexts, message: `Context "${chosen}" of ${path} names no cluster that the file defines. Fix its "cluster" field.` };
  return { ok: true, kubeConfig, path, context: chosen, server: cluster.server, contexts };
}
