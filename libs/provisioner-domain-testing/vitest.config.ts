import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'provisioner-domain-testing', kind: 'unit' });
