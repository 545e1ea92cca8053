import type { Page } from 'playwright-core';

/** One team row of the page as the browser shows it (`data-field` cells of the teams table). */
export interface ShownTeamRow {
  team: string;
  nodes: string;
  cpu: string;
  costPerHour: string;
  pendingPods: string;
}

/**
 * Opens `url` of the dev app, entering as the guest user when the sign-in page shows. There is no auth
 * backend, so the guest provider asks (a confirm dialog) to fall back to its legacy local token: accepted.
 */
export async function openSignedIn(page: Page, url: string): Promise<void> {
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(url, { timeout: 300_000 });
  const enter = page.getByRole('button', { name: 'Enter' });
  const table = page.locator('[data-field="team"], [data-testid="capacity-error"], [data-testid="team-capacity"]').first();
  await Promise.race([enter.waitFor({ timeout: 300_000 }), table.waitFor({ timeout: 300_000 })]);
  if (await enter.isVisible()) await enter.click();
}

/** The team rows shown, in table order. */
export async function shownTeamRows(page: Page): Promise<ShownTeamRow[]> {
  return page.locator('tr:has([data-field="team"])').evaluateAll((rows) =>
    rows.map((row) => {
      const text = (field: string) => row.querySelector(`[data-field="${field}"]`)?.textContent ?? '';
      return { team: text('team'), nodes: text('nodes'), cpu: text('cpu'), costPerHour: text('costPerHour'), pendingPods: text('pendingPods') };
    }),
  );
}
