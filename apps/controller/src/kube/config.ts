import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * Loads cluster credentials: the file named by `kubeconfigPath` (or $KUBECONFIG, or ~/.kube/config) when
 * present, else the in-cluster service account (token, CA and KUBERNETES_SERVICE_HOST/PORT). Mirrors
 * client-go's default loading rules.
 */
export function loadKubeConfig(kubeconfigPath?: string, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfigPath) {
    if (!existsSync(kubeconfigPath)) throw new Error(`KUBECONFIG: no file at ${kubeconfigPath}; point KUBECONFIG (or --kubeconfig) at a kubeconfig file, or unset it inside a cluster`);
    kc.loadFromFile(kubeconfigPath);
    return kc;
  }
  const home = env['HOME'] ?? homedir();
  if (!env['KUBECONFIG'] && !env['KUBERNETES_SERVICE_HOST'] && !existsSync(join(home, '.kube', 'config'))) {
    throw new Error('not running in a cluster and no kubeconfig found: set KUBECONFIG (or --kubeconfig) to a kubeconfig file, e.g. the one `npm start` prints');
  }
  kc.loadFromDefault();
  return kc;
}
