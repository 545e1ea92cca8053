import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'scripts', kind: 'unit', testTimeoutMs: 60_000 });
