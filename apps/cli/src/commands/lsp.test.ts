import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { fakeIo } from '../testing/fake-io.js';

describe('karpenter-ts lsp', () => {
  it('rejects two transports with a usage error', async () => {
    const { io, err } = fakeIo({});
    expect(await main(['lsp', '--stdio', '--node-ipc'], io)).toBe(2);
    expect(err()).toBe('karpenter-ts: choose one transport: --stdio or --node-ipc\n');
  });

  it('is listed in the help', async () => {
    const { io, out } = fakeIo({});
    await main(['--help'], io);
    expect(out()).toMatch(/lsp \[options\]\s+run the Karpenter language server/);
  });
});
