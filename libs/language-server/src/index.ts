/**
 * @karpenter-ts/language-server: the Karpenter language server. `startServer(connection)` serves on any
 * `vscode-languageserver` connection; `runLanguageServerProcess(argv)` runs it as a process (`--stdio`/`--node-ipc`),
 * as `karpenter-ts lsp --stdio` and `bin/karpenter-ts-lsp.mjs` do.
 */
export { startServer, SERVER_INFO, type StartServerOptions } from './server.js';
export { runLanguageServerProcess, LSP_USAGE } from './process.js';
export { readSettings, DEFAULT_DEBOUNCE_MS, DEFAULT_RULES_DOC_URL, type ServerSettings } from './settings.js';
export { analyze, classifyText, MAX_DOCUMENT_CHARS, type Analysis, type TextKind } from './analysis.js';
export { convertedText, CONVERT_ACTION_TITLE } from './features/code-actions.js';
export { CLUSTER_NODE_CLASSES_NOTIFICATION, parseClusterNodeClassesParams, type ClusterNodeClassesParams } from './protocol.js';
