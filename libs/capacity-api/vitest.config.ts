import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'capacity-api', kind: 'unit' });
