/**
 * Benchmark: `validate` on a 300-line manifest (NodePools with every field, EC2NodeClasses, a Provisioner),
 * the VS Code target being under 20 ms. Prints figures; never fails on time.
 */
import { performance } from 'node:perf_hooks';
import { validate } from '@karpenter-ts/provisioner-domain/apis';

const NODEPOOL = (i: number) => `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: pool-${i}
spec:
  template:
    metadata:
      labels:
        team: team-${i}
        example.com/tier: gold
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: default
      requirements:
        - key: kubernetes.io/arch
          operator: In
          values: [amd64, arm64]
        - key: karpenter.sh/capacity-type
          operator: In
          values: [spot, on-demand]
        - key: karpenter.k8s.aws/instance-category
          operator: In
          values: [c, m, r]
          minValues: 2
        - key: karpenter.k8s.aws/instance-generation
          operator: Gt
          values: ["2"]
      taints:
        - key: example.com/team
          value: team-${i}
          effect: NoSchedule
      expireAfter: 720h
  disruption:
    consolidationPolicy: WhenEmptyOrUnderutilized
    consolidateAfter: 1m
    budgets:
      - nodes: "10%"
      - nodes: "0"
        schedule: "0 9 * * mon-fri"
        duration: 8h
  limits:
    cpu: 1000
    memory: 1000Gi
  weight: ${10 + i}
`;

const EC2 = `apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  role: KarpenterNodeRole
  amiSelectorTerms:
    - alias: al2023@latest
  subnetSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
  securityGroupSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
  blockDeviceMappings:
    - deviceName: /dev/xvda
      ebs:
        volumeSize: 100Gi
        volumeType: gp3
  kubelet:
    maxPods: 110
`;

function manifest(targetLines: number): string {
  const docs: string[] = [EC2];
  let i = 0;
  while (docs.join('---\n').split('\n').length < targetLines) docs.push(NODEPOOL(i++));
  return docs.join('---\n');
}

const text = manifest(300);
const lines = text.split('\n').length;
const runs = 300;
for (let i = 0; i < 30; i++) validate(text); // warm-up
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const r = validate(text);
  times.push(performance.now() - t0);
  if (!r.ok) throw new Error(`benchmark manifest is invalid: ${JSON.stringify(r.issues[0])}`);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(2);
console.log(`validate: ${lines}-line manifest, ${runs} runs: median ${pct(50)} ms, p95 ${pct(95)} ms, max ${times[times.length - 1]!.toFixed(2)} ms (target < 20 ms)`);
