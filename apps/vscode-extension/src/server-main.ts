/**
 * The language server process the extension bundles (dist/server.cjs) and starts with `TransportKind.ipc`
 * (argv carries `--node-ipc`): @karpenter-ts/language-server, exactly as `karpenter-ts lsp` runs it.
 */
import { runLanguageServerProcess } from '@karpenter-ts/language-server';

runLanguageServerProcess(process.argv.slice(2));
