import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'cli', kind: 'unit' });
