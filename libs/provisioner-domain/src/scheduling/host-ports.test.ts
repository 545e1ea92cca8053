import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import { formatHostPort, HostPortUsage, hostPortsConflict, podHostPorts, type HostPort } from './host-ports.js';
import { compileSelector } from './label-selector.js';

const pod = (spec: Partial<Pod['spec']>): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], ...spec } });

describe('podHostPorts', () => {
  it.each<[string, Pod, string[]]>([
    ['no host port', pod({ containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] }), []],
    ['hostPort with defaults', pod({ containers: [{ name: 'a', ports: [{ containerPort: 80, hostPort: 8080 }] }] }), ['TCP/8080']],
    ['hostIP and protocol', pod({ containers: [{ name: 'a', ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }] }] }), ['UDP/10.0.0.1:53']],
    ['hostNetwork makes containerPorts host ports', pod({ hostNetwork: true, containers: [{ name: 'a', ports: [{ containerPort: 9100 }] }] }), ['TCP/9100']],
    [
      'sidecars count, plain init containers do not',
      pod({
        containers: [],
        initContainers: [
          { name: 'i', ports: [{ containerPort: 1, hostPort: 1 }] },
          { name: 's', restartPolicy: 'Always', ports: [{ containerPort: 2, hostPort: 2 }] },
        ],
      }),
      ['TCP/2'],
    ],
  ])('%s', (_name, p, expected) => {
    expect(podHostPorts(p).map(formatHostPort)).toEqual(expected);
  });
});

describe('host port conflicts', () => {
  const hp = (port: number, ip = '0.0.0.0', protocol = 'TCP'): HostPort => ({ port, ip, protocol });
  it.each<[HostPort, HostPort, boolean]>([
    [hp(80), hp(80), true],
    [hp(80), hp(81), false],
    [hp(80), hp(80, '0.0.0.0', 'UDP'), false],
    [hp(80, '10.0.0.1'), hp(80), true],
    [hp(80, '10.0.0.1'), hp(80, '10.0.0.2'), false],
    [hp(80, '10.0.0.1'), hp(80, '10.0.0.1'), true],
  ])('%o vs %o: %s', (a, b, expected) => {
    expect(hostPortsConflict(a, b)).toBe(expected);
    const usage = new HostPortUsage([a]);
    expect(usage.conflict([b]) !== undefined).toBe(expected);
  });
  it('clones independently', () => {
    const usage = new HostPortUsage([hp(1)]);
    const copy = usage.clone();
    copy.add([hp(2)]);
    expect(usage.conflict([hp(2)])).toBeUndefined();
    expect(copy.conflict([hp(2)])).toBeDefined();
  });
});

describe('compileSelector', () => {
  it.each<[Parameters<typeof compileSelector>[0], Record<string, string>, boolean]>([
    [undefined, { a: '1' }, false],
    [{}, { a: '1' }, true],
    [{ matchLabels: { a: '1' } }, { a: '1', b: '2' }, true],
    [{ matchLabels: { a: '1' } }, { a: '2' }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {}, false],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: 'x' }, false],
  ])('%j matches %j: %s', (selector, labels, expected) => {
    expect(compileSelector(selector).matches(labels)).toBe(expected);
  });
  it('gives equal keys to equal selectors', () => {
    expect(compileSelector({ matchLabels: { a: '1', b: '2' } }).key).toBe(
      compileSelector({ matchExpressions: [{ key: 'b', operator: 'In', values: ['2'] }, { key: 'a', operator: 'In', values: ['1'] }] }).key,
    );
  });
});
