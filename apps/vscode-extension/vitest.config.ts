import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig({ project: 'vscode-extension', kind: 'unit' });
