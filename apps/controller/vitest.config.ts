import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'controller', kind: 'unit' });
