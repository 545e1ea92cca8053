import { projectTestConfig } from '../../vitest.shared.js';

// Commands run as real processes (`karpenter-ts lsp --stdio` driven by an LSP client).
export default projectTestConfig({ project: 'cli', kind: 'e2e', include: ['src/**/*.e2e.test.ts'], testTimeoutMs: 60_000 });
