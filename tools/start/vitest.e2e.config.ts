import { projectTestConfig } from '../../vitest.shared.js';

// The e2e files start a real local control plane and the controller (tools/local-cluster, apps/controller).
export default projectTestConfig({ project: 'start', kind: 'e2e' });
