/**
 * The dev app served by Vite, opened in Debian Chromium through playwright-core (fixture mode): the teams
 * table shows the fixture's figures, sorting, filtering and the team detail work in a real browser, and the
 * time to interactive of the page with 50 teams is measured and printed. Screenshots go to
 * `tmp/e2e-artifacts/`; with `KTS_UPDATE_DOCS_SCREENSHOT=1` the README's docs/screenshot.png is refreshed too.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleCapacityResponse } from '@karpenter-ts/capacity-api';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountOf, formatCores, formatCostPerHour } from '../src/format';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import { startDevServer, type DevServer } from './devServer';
import { openSignedIn, shownTeamRows } from './browserPage';

const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(pluginRoot, 'tmp', 'e2e-artifacts');

let server: DevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const executablePath = ensureChromium();
  mkdirSync(artifacts, { recursive: true });
  server = await startDevServer();
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  // First load: Vite bundles the dependencies, which takes minutes on a loaded machine.
  await openSignedIn(page, `${server.url}/karpenter-ts`);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('dev app in Chromium (fixtures)', () => {
  it('shows each team of the fixture with its nodes, requested CPU, $/h and pending pods', async () => {
    await page.locator('[data-field="team"]').first().waitFor({ timeout: 300_000 });
    const rows = await shownTeamRows(page);
    expect(rows).toEqual(
      exampleCapacityResponse.teams.map((t) => {
        const requested = formatCores(amountOf(t.requested, 'cpu'));
        const cpu = t.allocatable['cpu'] && t.utilisation['cpu'] !== undefined
          ? `${requested} / ${formatCores(amountOf(t.allocatable, 'cpu'))} · ${Math.round(t.utilisation['cpu'] * 100)}%`
          : `${requested} requested`;
        return { team: t.team, nodes: String(t.nodes), cpu, costPerHour: formatCostPerHour(t.costPerHour), pendingPods: String(t.pendingPods) };
      }),
    );
    await page.screenshot({ path: path.join(artifacts, 'capacity-page-fixtures.png'), fullPage: true });
    if (process.env['KTS_UPDATE_DOCS_SCREENSHOT'] === '1') {
      copyFileSync(path.join(artifacts, 'capacity-page-fixtures.png'), path.join(pluginRoot, 'docs', 'screenshot.png'));
    }
  });

  it('filters, and opens a team detail with NodePool headroom and pending reasons', async () => {
    await page.getByPlaceholder('Filter teams').fill('pay');
    await expect.poll(async () => (await shownTeamRows(page)).map((r) => r.team), { timeout: 30_000 }).toEqual(['payments']);
    await page.locator('[data-field="team"]', { hasText: 'payments' }).click();
    await page.getByTestId('team-detail').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByText('cpu: 12 of 16 left').count()).toBe(1);
    expect(await page.locator('[data-pending-pod="payments/ledger-0"]').textContent()).toContain('no instance type satisfies the resources cpu=8');
    await page.screenshot({ path: path.join(artifacts, 'team-detail-fixtures.png'), fullPage: true });
  });

  it('renders 50 teams and prints the time to interactive', async () => {
    const started = Date.now();
    await page.goto(`${server.url}/karpenter-ts?teams=50`);
    await page.waitForFunction(() => document.querySelectorAll('[data-field="team"]').length === 50, undefined, { timeout: 120_000 });
    // Time to interactive: from navigation start until all 50 rows are in the DOM and the main thread is free
    // (a task queued now runs only after the render work).
    const interactiveMs = await page.evaluate(
      () => new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 0)),
    );
    const filterStarted = Date.now();
    await page.getByPlaceholder('Filter teams').fill('team-07');
    await page.waitForFunction(() => document.querySelectorAll('[data-field="team"]').length === 1, undefined, { timeout: 30_000 });
    const filterMs = Date.now() - filterStarted;
    console.log(
      `[backstage-plugin] 50 teams: time to interactive ${Math.round(interactiveMs)} ms after navigation start ` +
        `(wall ${Date.now() - started - filterMs} ms, Vite dev server, unbundled); filter to 1 row in ${filterMs} ms`,
    );
    expect((await shownTeamRows(page))[0]?.team).toBe('team-07');
  });
});
