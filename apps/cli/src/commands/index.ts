/**
 * Every command of `karpenter-ts`, one file each. To add one, write `commands/<name>.ts` exporting
 * `register<Name>(program, io, setExit)` and list it here.
 */
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../io.js';
import { registerConvert } from './convert.js';
import { registerLsp } from './lsp.js';
import { register as registerSimulate } from './simulate.js';
import { registerValidate } from './validate.js';

/** A command registration function. */
export type RegisterCommand = (program: Command, io: CliIo, setExit: (code: ExitCode) => void) => void;

/** The registered commands, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerValidate,
  registerConvert,
  registerSimulate,
  registerLsp,
];
