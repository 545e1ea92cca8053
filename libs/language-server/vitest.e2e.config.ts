import { projectTestConfig } from '../../vitest.shared.js';

// The language server as a real process, driven over stdio by an LSP client.
export default projectTestConfig({ project: 'language-server', kind: 'e2e', include: ['src/**/*.e2e.test.ts'], testTimeoutMs: 60_000 });
