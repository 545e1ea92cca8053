import { projectTestConfig } from '../../vitest.shared.js';

// The controller catalog against a real local control plane and controller (src/**/*.e2e.test.ts); the real
// VS Code suite runs after it from scripts/e2e.ts.
export default projectTestConfig({ project: 'vscode-extension', kind: 'e2e', testTimeoutMs: 180_000 });
