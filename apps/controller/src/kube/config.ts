import { KubeConfig } from '@kubernetes/client-node';

/**
 * Loads cluster credentials: the file named by `kubeconfigPath` (or $KUBECONFIG, or ~/.kube/config) when
 * present, else the in-cluster service account (token, CA and KUBERNETES_SERVICE_HOST/PORT). Mirrors
 * client-go's default loading rules.
 */
export function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromDefault();
  return kc;
}
