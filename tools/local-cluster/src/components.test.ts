import { describe, expect, it } from 'vitest';
import { apiserverArgs, controllerManagerArgs, etcdArgs, kwokArgs, schedulerArgs, type ClusterLayout } from './components.js';

const layout: ClusterLayout = {
  workDir: '/w',
  ports: { etcdClient: 1001, etcdPeer: 1002, apiserver: 1003, controllerManager: 1004, scheduler: 1005, kwok: 1006 },
  advertiseAddress: '192.0.2.2',
  serviceCidr: '10.96.0.0/16',
  podCidr: '10.244.0.0/16',
  perControllerCredentials: false,
  files: {
    caCert: '/w/pki/ca.crt',
    caKey: '/w/pki/ca.key',
    servingCert: '/w/pki/apiserver.crt',
    servingKey: '/w/pki/apiserver.key',
    frontProxyCaCert: '/w/pki/front-proxy-ca.crt',
    frontProxyClientCert: '/w/pki/front-proxy-client.crt',
    frontProxyClientKey: '/w/pki/front-proxy-client.key',
    saPrivateKey: '/w/pki/sa.key',
    saPublicKey: '/w/pki/sa.pub',
    controllerManagerKubeconfig: '/w/kcm.kubeconfig',
    schedulerKubeconfig: '/w/sched.kubeconfig',
    schedulerConfig: '/w/sched.yaml',
    kwokKubeconfig: '/w/kwok.kubeconfig',
    kwokConfig: '/w/stages.yaml',
  },
};

/** Every `--flag=value` whose value is an address must be on loopback, except the advertised one. */
function addressesIn(args: string[]): string[] {
  return args.flatMap((a) => [...a.matchAll(/(?:https?:\/\/)?(\d+\.\d+\.\d+\.\d+):\d+/g)].map((m) => m[1] ?? ''));
}

describe('component command lines', () => {
  it.each([
    ['etcd', etcdArgs(layout)],
    ['kube-apiserver', apiserverArgs(layout)],
    ['kube-controller-manager', controllerManagerArgs(layout)],
    ['kube-scheduler', schedulerArgs(layout)],
    ['kwok', kwokArgs(layout, 'kwok.x-k8s.io/node=fake')],
  ])('%s listens and dials on 127.0.0.1 only', (_name, args) => {
    expect(addressesIn(args).every((ip) => ip === '127.0.0.1')).toBe(true);
    expect(args.filter((a) => a.includes('0.0.0.0'))).toEqual([]);
  });

  it('points the apiserver at etcd, RBAC+Node authz, and a non-loopback advertise address', () => {
    const args = apiserverArgs(layout);
    expect(args).toContain('--etcd-servers=http://127.0.0.1:1001');
    expect(args).toContain('--bind-address=127.0.0.1');
    expect(args).toContain('--secure-port=1003');
    expect(args).toContain('--authorization-mode=Node,RBAC');
    expect(args).toContain('--advertise-address=192.0.2.2');
    expect(args).toContain('--requestheader-allowed-names=front-proxy-client');
  });

  it('switches KCM ServiceAccount credentials with the layout', () => {
    expect(controllerManagerArgs(layout)).toContain('--use-service-account-credentials=false');
    expect(controllerManagerArgs({ ...layout, perControllerCredentials: true })).toContain('--use-service-account-credentials=true');
  });

  it('makes KWOK manage only annotated nodes, with leases and the committed stages', () => {
    const args = kwokArgs(layout, 'kwok.x-k8s.io/node=fake');
    expect(args).toEqual(
      expect.arrayContaining([
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--node-lease-duration-seconds=40',
        '--config=/w/stages.yaml',
        '--server-address=127.0.0.1:1006',
      ]),
    );
  });
});
