/** The catalog source: a catalog file from initializationOptions or the karpenterTs settings, over stdio. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, startClient, type LspClient } from './testing/lsp-client.js';

const catalogFile = path.join(PACKAGE_ROOT, 'src/testdata/catalog.yaml');
const uri = 'file:///ws/zones.yaml';
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
          values: ["eu-west-1c"]
`;

let client: LspClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

describe('catalog source', () => {
  it('uses the InstanceTypeCatalog of karpenterTs.catalogFile for completions, warnings and lenses', async () => {
    client = await startClient({ initializationOptions: { catalogFile, debounceMs: 0 } });
    await client.open(uri, text);
    const ds = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'unknown-label-value'));
    expect(ds.find((d) => d.code === 'unknown-label-value')?.message).toContain("did you mean 'eu-west-1a'");
    expect((await client.completion(uri, 11, 20)).map((i) => i.label)).toEqual(['eu-west-1a', 'eu-west-1b']);
  }, 30_000);

  it('reads the setting from workspace/configuration, and falls back to the default catalog on a bad file', async () => {
    client = await startClient({ configuration: { catalogFile: path.join(PACKAGE_ROOT, 'src/testdata/provisioner.yaml'), debounceMs: 0 } });
    await client.open(uri, text.replace('eu-west-1c', 'test-zone-a'));
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    expect((await client.completion(uri, 11, 20)).map((i) => i.label)).toEqual(['test-zone-a', 'test-zone-b', 'test-zone-c', 'test-zone-d']);
    expect(client.shownMessages()).toEqual([expect.stringMatching(/provisioner\.yaml has no InstanceTypeCatalog document .*Using the simulated default catalog\.$/)]);
    expect(client.alive()).toBe(true);
    expect(client.stderr()).toBe('');
  }, 30_000);
});
