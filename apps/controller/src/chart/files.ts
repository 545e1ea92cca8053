import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartValuesSchema, settingsTemplate, withSettingsBlock } from './values-schema.js';

/** Root of apps/controller/chart. */
export const chartDir = fileURLToPath(new URL('../../chart', import.meta.url));

/** One generated chart file: its path and its wanted content given the current one. */
export interface GeneratedFile {
  path: string;
  generate: (current: string) => string;
}

/** The chart files generated from the settings schema (see values-schema.ts). */
export function chartFiles(): GeneratedFile[] {
  return [
    { path: join(chartDir, 'values.schema.json'), generate: () => `${JSON.stringify(chartValuesSchema(), null, 2)}\n` },
    { path: join(chartDir, 'templates/_settings.tpl'), generate: () => settingsTemplate() },
    { path: join(chartDir, 'values.yaml'), generate: (current) => withSettingsBlock(current) },
  ];
}
