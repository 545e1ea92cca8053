import { projectTestConfig } from '../../vitest.shared.js';

// The e2e files start real processes; a cold binary build happens in ensureBinaries (beforeAll).
export default projectTestConfig({ project: 'local-cluster', kind: 'e2e', testTimeoutMs: 180_000 });
