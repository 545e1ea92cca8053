import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'crd-gen', kind: 'unit' });
