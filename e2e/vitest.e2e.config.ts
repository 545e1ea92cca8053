import { projectTestConfig } from '../vitest.shared.js';

export default projectTestConfig({ project: 'e2e', kind: 'e2e', include: ['**/*.e2e.test.ts'] });
