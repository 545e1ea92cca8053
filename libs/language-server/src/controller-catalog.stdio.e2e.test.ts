/**
 * The controller's catalog (`karpenterTs/controllerCatalog`, a `GET /api/v1/instancetypes` answer the client
 * forwards), over stdio: it replaces the default catalog for diagnostics, completions and hovers, a catalog file
 * still wins over it, and a malformed or empty one changes nothing but a message.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver/node';
import type { InstanceTypesResponse } from '@karpenter-ts/capacity-api';
import { CONTROLLER_CATALOG_NOTIFICATION, type ControllerCatalogParams } from './protocol.js';
import { PACKAGE_ROOT, startClient, type LspClient } from './testing/lsp-client.js';

const uri = 'file:///ws/controller.yaml';
const text = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: z
spec:
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements:
        - key: topology.kubernetes.io/zone
          operator: In
          values: ["ctl-zone-b"]
`;

const type = (name: string, zones: string[]): InstanceTypesResponse['nodePools'][number]['instanceTypes'][number] => ({
  name,
  labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
  capacity: { cpu: '4', memory: '16Gi', pods: '58' },
  allocatable: { cpu: '3920m', memory: '15Gi', pods: '58' },
  offerings: zones.map((zone) => ({ zone, capacityType: 'on-demand', pricePerHour: 0.2, available: true })),
});
// Two NodePools with overlapping catalogs: the server takes their union by name.
const response: InstanceTypesResponse = {
  nodePools: [
    { nodePool: 'default', instanceTypes: [type('ctl-4x', ['ctl-zone-a'])] },
    { nodePool: 'batch', instanceTypes: [type('ctl-4x', ['ctl-zone-a']), type('ctl-8x', ['ctl-zone-b'])] },
  ],
};
const controller = (r: InstanceTypesResponse = response): ControllerCatalogParams => ({ source: 'the controller of context "kind-dev"', response: r });
const zoneWarning = (d: Diagnostic[]) => d.find((x) => x.code === 'unknown-label-value');
const messageOf = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : d?.message.value);

let client: LspClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

describe('controller catalog', () => {
  it('replaces the default catalog until the client retracts it; a catalog file wins over it', async () => {
    client = await startClient({ initializationOptions: { debounceMs: 0 } });
    await client.open(uri, text);
    // The default catalog has no zone ctl-zone-b.
    const before = await client.waitForDiagnostics(uri, (d) => zoneWarning(d) !== undefined);
    expect(messageOf(zoneWarning(before))).toContain('the simulated default catalog');

    await client.notify(CONTROLLER_CATALOG_NOTIFICATION, controller());
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    expect((await client.completion(uri, 11, 20)).map((i) => i.label)).toEqual(['ctl-zone-a', 'ctl-zone-b']);
    const hover = await client.hover(uri, 9, 12);
    expect((hover?.contents as MarkupContent).value).toContain('leaves 1 instance type · $0.2000-$0.2000/h of the 2 in the catalog (the controller of context "kind-dev")');

    // An explicit catalog file takes precedence over the controller's.
    await client.configure({ karpenterTs: { catalogFile: path.join(PACKAGE_ROOT, 'src/testdata/catalog.yaml') } });
    const withFile = await client.waitForDiagnostics(uri, (d) => zoneWarning(d) !== undefined);
    expect(messageOf(zoneWarning(withFile))).toContain('catalog.yaml');
    // Without the file, the controller's catalog is active again.
    await client.configure({ karpenterTs: { catalogFile: '' } });
    await client.waitForDiagnostics(uri, (d) => d.length === 0);

    await client.notify(CONTROLLER_CATALOG_NOTIFICATION, { response: null });
    const after = await client.waitForDiagnostics(uri, (d) => zoneWarning(d) !== undefined);
    expect(messageOf(zoneWarning(after))).toContain('the simulated default catalog');
    expect(client.shownMessages()).toEqual([]);
  }, 60_000);

  it('ignores a malformed catalog, and says so plainly when the controller has no instance types', async () => {
    client = await startClient({ initializationOptions: { debounceMs: 0 } });
    await client.open(uri, text);
    await client.waitForDiagnostics(uri, (d) => zoneWarning(d) !== undefined);
    // capacity quantities are strings in the API; a number fails the shared zod schema and is ignored.
    const bad = { source: 'x', response: { nodePools: [{ nodePool: 'a', instanceTypes: [{ ...type('t', ['z']), capacity: { cpu: 4 } }] }] } };
    await client.notify(CONTROLLER_CATALOG_NOTIFICATION, bad);
    await client.notify(CONTROLLER_CATALOG_NOTIFICATION, controller({ nodePools: [] }));
    await expect.poll(() => client!.shownMessages(), { timeout: 20_000 }).toEqual([
      'karpenter-ts: the controller of context "kind-dev" reports no instance types (it has no NodePool); apply a NodePool to the cluster or set karpenterTs.catalogFile. Using the simulated default catalog.',
    ]);
    // Still the default catalog: ctl-zone-b stays flagged, and the server is alive and quiet on stderr.
    expect(zoneWarning(client.published(uri).at(-1)?.diagnostics ?? [])).toBeDefined();
    expect((await client.completion(uri, 11, 20)).map((i) => i.label)).toContain('test-zone-a');
    expect(client.alive()).toBe(true);
    expect(client.stderr()).toBe('');
  }, 60_000);
});
