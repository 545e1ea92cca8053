/**
 * Language-server benchmarks (issue 10). Prints figures; never passes or fails on time.
 *
 *   npx tsx bench/diagnostics.bench.ts [--repeat 200]
 *
 * - diagnostics of a 300-line multi-document file (NodePools, EC2NodeClasses, a Provisioner, with errors and
 *   catalog warnings), in process (the work after the debounce: analysis + conversion to LSP diagnostics) and over
 *   stdio (didChange → publishDiagnostics with a 0 ms debounce, so protocol and transport are included);
 *   target < 20 ms median and p95;
 * - server start: spawn of `node bin/karpenter-ts-lsp.mjs --stdio` → initialize result, the TypeScript sources compiled
 *   by tsx on the way (how `karpenter-ts lsp` runs from a clone); target < 500 ms. The bundled server the VS Code
 *   extension ships is measured by the extension's bench.
 */
import { performance } from 'node:perf_hooks';
import { defaultCatalog } from '@karpenter-ts/provisioner-domain';
import { analyze } from '../src/analysis.js';
import { toDiagnostic } from '../src/diagnostics.js';
import { DEFAULT_RULES_DOC_URL } from '../src/settings.js';
import { startClient } from '../src/testing/lsp-client.js';

const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 200;

function nodePool(i: number): string {
  return `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: pool-${i}
spec:
  template:
    metadata:
      labels:
        team: team-${i}
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: class-${i % 3}
      expireAfter: ${i % 4 === 0 ? '30days' : '720h'}
      requirements:
        - key: karpenter.sh/capacity-type
          operator: In
          values: ["spot", "${i % 5 === 0 ? 'on-demnd' : 'on-demand'}"]
        - key: kubernetes.io/arch
          operator: In
          values: ["amd64", "arm64"]
        - key: karpenter.kwok.sh/instance-cpu
          operator: Lt
          values: ["${i % 6 === 0 ? '1000' : '65'}"]
      taints:
        - key: dedicated
          value: team-${i}
          effect: NoSchedule
  disruption:
    consolidationPolicy: WhenEmptyOrUnderutilized
    consolidateAfter: 1m
    budgets:
      - nodes: "10%"
  limits:
    cpu: "${100 * (i + 1)}"
    memory: ${400 * (i + 1)}Gi
  weight: ${10 + i}
`;
}

function nodeClass(i: number): string {
  return `apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: class-${i}
spec:
  amiSelectorTerms:
    - alias: al2023@latest
  role: KarpenterNodeRole-demo
  subnetSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
  securityGroupSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
`;
}

const PROVISIONER = `apiVersion: karpenter.sh/v1alpha5
kind: Provisioner
metadata:
  name: legacy
spec:
  requirements:
    - key: karpenter.sh/capacity-type
      operator: In
      values: ["spot"]
  limits:
    resources:
      cpu: "1000"
  ttlSecondsAfterEmpty: 30
  providerRef:
    name: legacy
`;

/** About 300 lines: 3 EC2NodeClasses, a v1alpha5 Provisioner and 6 NodePools. */
export function benchmarkFile(): string {
  const docs = [nodeClass(0), nodeClass(1), nodeClass(2), PROVISIONER];
  for (let i = 0; i < 6; i++) docs.push(nodePool(i));
  return docs.join('---\n');
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, min ${s[0]!.toFixed(2)} ms, max ${s[s.length - 1]!.toFixed(2)} ms (n=${s.length})`;
}

async function main(): Promise<void> {
  const text = benchmarkFile();
  const catalog = defaultCatalog();
  const lines = text.split('\n').length;
  const once = analyze(text, { catalog, nodeClassNames: new Set(['class-0', 'class-1', 'class-2']) });
  console.log(`file: ${lines} lines, ${text.split('---').length} documents, ${once.issues.length} findings (${[...new Set(once.issues.map((i) => i.code))].join(', ')})`);

  for (let i = 0; i < 20; i++) analyze(text, { catalog });
  const inProcess: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    analyze(text, { catalog, nodeClassNames: new Set(['class-0', 'class-1', 'class-2']) }).issues.map((x) => toDiagnostic(x, DEFAULT_RULES_DOC_URL));
    inProcess.push(performance.now() - t0);
  }
  console.log(`diagnostics, in process (after the debounce): ${stats(inProcess)}; target < 20 ms`);

  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c = await startClient({ initializationOptions: { debounceMs: 0 } });
    starts.push(performance.now() - t0);
    await c.stop();
  }
  console.log(`server start (spawn → initialize result, through tsx): ${stats(starts)}; target < 500 ms`);

  const client = await startClient({ initializationOptions: { debounceMs: 0 } });
  const uri = 'file:///bench/pools.yaml';
  await client.open(uri, text);
  await client.waitForDiagnostics(uri, (d) => d.length > 0);
  const overStdio: number[] = [];
  for (let v = 2; v < REPEAT + 2; v++) {
    const edited = text.replace('pool-0', `pool-0-${v}`);
    const t0 = performance.now();
    await client.change(uri, edited, v);
    // Woken by the publish notification itself (no polling loop competing with the server for the CPU).
    await client.waitForDiagnostics(uri, () => client.published(uri).at(-1)?.version === v, 10_000);
    overStdio.push(performance.now() - t0);
  }
  await client.stop();
  console.log(`diagnostics over stdio (didChange → publishDiagnostics, 0 ms debounce): ${stats(overStdio)}; target < 20 ms`);
}

await main();
