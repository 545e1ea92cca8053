/**
 * The AWS emulator for tests and `npm start --cloud aws-emulator`: moto's server at a pinned
 * version, installed from PyPI into `${XDG_CACHE_HOME:-~/.cache}/karpenter-ts/moto-<version>`.
 */
export { ensureMoto, motoInstallPaths, motoRequirement, motoVersion, type EnsureMotoOptions, type MotoInstall } from './install.js';
export { startAwsEmulator, emulatorClientConfig, AwsEmulatorStartError, resetAwsEmulator, type AwsEmulator, type StartAwsEmulatorOptions } from './emulator.js';

import './provided-context.js';
