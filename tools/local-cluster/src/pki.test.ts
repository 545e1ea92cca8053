import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './exec.js';
import { createPki, type Pki } from './pki.js';

describe('createPki (openssl)', () => {
  let dir: string;
  let pki: Pki;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'karpenter-ts-pki-test-'));
    pki = await createPki({
      dir,
      servingIps: ['127.0.0.1', '10.96.0.1'],
      servingDnsNames: ['localhost', 'kubernetes.default.svc'],
      clients: [{ name: 'controller', commonName: 'karpenter-ts-controller', organizations: ['karpenter-ts'] }],
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const text = async (cert: string): Promise<string> => (await run(['openssl', 'x509', '-in', cert, '-noout', '-text'])).stdout;

  it('signs a serving certificate for the given SANs with serverAuth', async () => {
    await run(['openssl', 'verify', '-CAfile', pki.ca.cert, pki.serving.cert]);
    const t = await text(pki.serving.cert);
    expect(t).toContain('IP Address:127.0.0.1');
    expect(t).toContain('DNS:kubernetes.default.svc');
    expect(t).toContain('TLS Web Server Authentication');
  });

  it('encodes user and groups of client certificates in CN and O', async () => {
    await run(['openssl', 'verify', '-CAfile', pki.ca.cert, pki.clients['controller']?.cert ?? '']);
    const t = await text(pki.clients['controller']?.cert ?? '');
    expect(t).toMatch(/Subject: O ?= ?karpenter-ts, CN ?= ?karpenter-ts-controller/);
    expect(t).toContain('TLS Web Client Authentication');
  });

  it('keeps the front-proxy client under its own CA', async () => {
    await run(['openssl', 'verify', '-CAfile', pki.frontProxyCa.cert, pki.frontProxyClient.cert]);
    const wrong = await run(['openssl', 'verify', '-CAfile', pki.ca.cert, pki.frontProxyClient.cert], { check: false });
    expect(wrong.code).not.toBe(0);
  });
});
