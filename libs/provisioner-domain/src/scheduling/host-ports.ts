import type { Pod } from '../core/types.js';

/** A host port a pod binds: IP (`0.0.0.0` when unset), protocol (`TCP` when unset) and port. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

const WILDCARD = '0.0.0.0';

/**
 * The host ports a pod binds, as kube-scheduler's NodePorts plugin sees them: `hostPort` of regular and sidecar
 * init containers; with `hostNetwork`, every `containerPort` is a host port (the API server's defaulting).
 */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const hostNetwork = pod.spec.hostNetwork === true;
  for (const container of pod.spec.containers) addContainerPorts(container, hostNetwork, out);
  const inits = pod.spec.initContainers;
  if (inits) for (const container of inits) if (container.restartPolicy === 'Always') addContainerPorts(container, hostNetwork, out);
  return out;
}

function addContainerPorts(container: Pod['spec']['containers'][number], hostNetwork: boolean, out: HostPort[]): void {
  const ports = container.ports;
  if (!ports) return;
  for (const p of ports) {
    const port = p.hostPort ?? (hostNetwork ? p.containerPort : undefined);
    if (port === undefined || port <= 0) continue;
    out.push({ ip: p.hostIP && p.hostIP !== '' ? p.hostIP : WILDCARD, protocol: p.protocol ?? 'TCP', port });
  }
}

/** Two host ports collide when protocol and port match and either IP is the wildcard or both are equal. */
export function hostPortsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === WILDCARD || b.ip === WILDCARD);
}

/** `TCP/8080` or `UDP/10.0.0.1:53`, for explanations. */
export function formatHostPort(p: HostPort): string {
  return p.ip === WILDCARD ? `${p.protocol}/${p.port}` : `${p.protocol}/${p.ip}:${p.port}`;
}

/** The host ports in use on one node (pods and DaemonSets); grows only. */
export class HostPortUsage {
  private readonly byPort = new Map<number, HostPort[]>();

  constructor(initial: readonly HostPort[] = []) {
    this.add(initial);
  }

  /** The first of `ports` that collides with one in use, else `undefined`. */
  conflict(ports: readonly HostPort[]): HostPort | undefined {
    for (const p of ports) {
      for (const used of this.byPort.get(p.port) ?? []) if (hostPortsConflict(p, used)) return p;
    }
    return undefined;
  }

  add(ports: readonly HostPort[]): void {
    for (const p of ports) {
      const list = this.byPort.get(p.port);
      if (list) list.push(p);
      else this.byPort.set(p.port, [p]);
    }
  }

  clone(): HostPortUsage {
    const copy = new HostPortUsage();
    for (const list of this.byPort.values()) copy.add(list);
    return copy;
  }
}
