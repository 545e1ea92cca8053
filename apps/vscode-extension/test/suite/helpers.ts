/** Helpers of the extension-host suite: polling waits (never fixed sleeps) and the run's settings. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

/** Written by scripts/e2e.ts into the workspace folder. */
export interface E2eSettings {
  /** Where the screenshot of diagnostics + preview goes. */
  screenshotPath: string;
  /** `namespace/name` of pods the local cluster keeps pending, with the NodePool expected to serve each ('' for none). */
  pendingPods: { ref: string; nodePool: string }[];
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test run opened no workspace folder');
  return folder.uri.fsPath;
}

export function e2eSettings(): E2eSettings {
  return JSON.parse(readFileSync(join(workspaceDir(), 'karpenter-ts-e2e.json'), 'utf8')) as E2eSettings;
}

/** Polls `probe` every 100 ms until it returns a truthy value; fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function openFile(name: string, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(workspaceDir(), name)));
  return vscode.window.showTextDocument(document, { viewColumn: column, preview: false });
}

/** Asks the runner for a screenshot of the workbench page and waits until it is written. */
export async function screenshot(path: string): Promise<void> {
  console.log(`[karpenter-ts screenshot] ${path}`);
  await waitFor(`screenshot ${path}`, () => existsSync(`${path}.done`), 30_000);
  const outcome = readFileSync(`${path}.done`, 'utf8');
  if (outcome !== 'ok') throw new Error(`screenshot failed: ${outcome}`);
}
