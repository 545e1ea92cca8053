import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeConfig } from './config.js';

describe('loadKubeConfig', () => {
  it('names KUBECONFIG and the fix when the file is missing', () => {
    expect(() => loadKubeConfig('/nonexistent/kubeconfig')).toThrow('KUBECONFIG: no file at /nonexistent/kubeconfig; point KUBECONFIG (or --kubeconfig) at a kubeconfig file');
  });

  it('says so outside a cluster with no kubeconfig anywhere, instead of falling back to localhost', () => {
    const home = mkdtempSync(join(tmpdir(), 'kts-home-'));
    expect(() => loadKubeConfig(undefined, { HOME: home })).toThrow(/^not running in a cluster and no kubeconfig found: set KUBECONFIG/);
  });
});
