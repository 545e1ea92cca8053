import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'local-cluster', kind: 'unit' });
