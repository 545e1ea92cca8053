import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'backstage-plugin', kind: 'e2e', include: ['e2e/**/*.e2e.test.ts'] });
