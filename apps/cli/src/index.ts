/** The karpenter-ts CLI as a library (for tests and other tools). */
export { main, buildProgram } from './main.js';
export { COMMANDS, type RegisterCommand } from './commands/index.js';
export { runValidate, type ValidateCommandOptions, type ValidateJsonIssue } from './commands/validate.js';
export { runConvert, type ConvertCommandOptions } from './commands/convert.js';
export { CliUsageError, nodeIo, type CliIo, type ExitCode } from './io.js';
