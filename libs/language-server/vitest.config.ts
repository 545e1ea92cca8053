import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'language-server', kind: 'unit', testTimeoutMs: 30_000 });
