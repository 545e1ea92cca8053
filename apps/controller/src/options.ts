/**
 * The controller's options: the entry point other modules import. The settings themselves (names, environment
 * variables, flags, defaults, units, validation) are one zod schema in ./settings/schema.ts; this module keeps
 * the historical API on top of it: `parseOptions(env)` (throws {@link OptionsError}), `defaultOptions()` and
 * `optionSpecs`.
 */
import { parseSettings, settingSpecs, type Options } from './settings/schema.js';

export {
  controllerSettingsJsonSchema,
  controllerSettingsSchema,
  didYouMean,
  durationToMs,
  featureGateDefaults,
  parseSettings,
  settingSpecs,
  settingsHelp,
  unsupportedKarpenterSettings,
  type FeatureGate,
  type FeatureGates,
  type LogLevel,
  type Options,
  type SettingSpec,
  type SettingsResult,
} from './settings/schema.js';

/** The option table (alias of {@link settingSpecs}). */
export const optionSpecs = settingSpecs;

/** Problems found while reading options: one plain sentence per bad setting. */
export class OptionsError extends Error {
  readonly code = 'InvalidOptions' as const;
  constructor(readonly issues: string[]) {
    super(`invalid settings:\n  ${issues.join('\n  ')}`);
    this.name = 'OptionsError';
  }
}

/** The defaults, as a complete Options value. */
export function defaultOptions(): Options {
  return parseOptions({});
}

/**
 * Reads every option from `env` (unset or empty = default) and `argv` flags. Throws {@link OptionsError}
 * listing every invalid or unknown setting.
 */
export function parseOptions(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): Options {
  const result = parseSettings({ env, argv });
  if (result.ok) return result.options;
  if (result.help) throw new OptionsError(['--help is not a setting']);
  throw new OptionsError(result.issues);
}
