/** Where the kubeconfig is (no client code: the extension reads this at activation). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * The kubeconfig file to read: the `karpenterTs.kubeconfig` setting when set, else the first existing file of
 * `$KUBECONFIG` (colon-separated, as kubectl reads it), else `~/.kube/config`.
 */
export function kubeconfigPath(setting: string, env: NodeJS.ProcessEnv = process.env): string {
  if (setting.trim() !== '') return setting.trim();
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter((p) => p !== '');
  return fromEnv.find((p) => existsSync(p)) ?? fromEnv[0] ?? join(env['HOME'] ?? homedir(), '.kube', 'config');
}
