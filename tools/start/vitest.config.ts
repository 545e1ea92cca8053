import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'start', kind: 'unit' });
