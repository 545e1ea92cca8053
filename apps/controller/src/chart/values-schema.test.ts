/**
 * The chart files generated from the settings schema are up to date (run `npm run gen:chart -w
 * @karpenter-ts/controller` when this fails), and what the chart's defaults render is what the process accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSettings, settingSpecs } from '../settings/schema.js';
import { chartFiles } from './files.js';
import { chartManagedSettings, chartSettings, chartValuesSchema, gateValueName, settingsValuesBlock, withSettingsBlock } from './values-schema.js';

describe('chart files generated from the settings schema', () => {
  it.each(chartFiles().map((file) => [file.path.replace(/.*\/chart\//, 'chart/'), file] as const))('%s is not stale', (_name, file) => {
    const current = readFileSync(file.path, 'utf8');
    expect(file.generate(current), 'stale: run npm run gen:chart -w @karpenter-ts/controller').toBe(current);
  });

  it('covers every setting except the ones the chart sets itself', () => {
    const settings = (chartValuesSchema()['properties'] as Record<string, { properties: Record<string, unknown> }>)['settings'];
    expect(Object.keys(settings?.properties ?? {}).sort()).toEqual(settingSpecs.map((s) => s.name).filter((n) => !chartManagedSettings.includes(n)).sort());
  });

  it('the defaults in values.yaml, rendered as the chart renders them, are accepted by the process', () => {
    const values = parse(readFileSync(chartFiles()[2]?.path ?? '', 'utf8')) as { settings: Record<string, unknown> };
    const env: Record<string, string> = {};
    for (const spec of chartSettings()) {
      const value = values.settings[spec.name];
      if (spec.name === 'featureGates') {
        env[spec.env] = Object.entries(value as Record<string, boolean>)
          .map(([gate, on]) => `${gate.charAt(0).toUpperCase()}${gate.slice(1)}=${String(on)}`)
          .join(',');
      } else if (value !== null && value !== undefined && value !== '') env[spec.env] = String(value);
    }
    const result = parseSettings({ env });
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.options.batchIdleMs).toBe(1_000);
  });

  it('replaces only the block between the markers, and refuses a values.yaml without them', () => {
    const text = `a: 1\nsettings:\n${settingsValuesBlock().replace('clusterName: ""', 'clusterName: old')}\nb: 2\n`;
    expect(withSettingsBlock(text)).toBe(`a: 1\nsettings:\n${settingsValuesBlock()}\nb: 2\n`);
    expect(() => withSettingsBlock('settings: {}\n')).toThrow(/markers/);
  });

  it('spells feature gates as Karpenter\'s chart does', () => {
    expect(gateValueName('SpotToSpotConsolidation')).toBe('spotToSpotConsolidation');
  });
});
