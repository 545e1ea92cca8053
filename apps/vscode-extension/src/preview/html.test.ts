import { describe, expect, it } from 'vitest';
import { newNonce, previewHtml } from './html.js';
import { formatPriceDifference, formatPricePerHour, fromWebviewSchema, toWebviewSchema } from './protocol.js';

describe('previewHtml', () => {
  const html = previewHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123==', scriptUri: 'https://r/media/dist/preview.js', styleUri: 'https://r/media/preview.css' });
  it("locks the page down: default-src 'none', the script only by nonce, styles from the webview origin", () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-abc123=='");
    expect(csp).toContain('style-src https://file+.vscode-resource.vscode-cdn.net');
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(html).toContain('<script nonce="abc123==" src="https://r/media/dist/preview.js"></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
  });
  it('uses a fresh random nonce per load', () => {
    const nonces = new Set(Array.from({ length: 20 }, newNonce));
    expect(nonces.size).toBe(20);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });
});

describe('protocol', () => {
  it('accepts the messages it defines and rejects anything else', () => {
    expect(toWebviewSchema.safeParse({ type: 'ping', id: 3 }).success).toBe(true);
    expect(toWebviewSchema.safeParse({ type: 'ping', id: '3' }).success).toBe(false);
    expect(toWebviewSchema.safeParse({ type: 'eval', code: 'alert(1)' }).success).toBe(false);
    expect(fromWebviewSchema.safeParse({ type: 'rendered', nodeClaimRows: ['a'], total: '$1/h' }).success).toBe(true);
    expect(fromWebviewSchema.safeParse({ type: 'rendered', nodeClaimRows: 'a' }).success).toBe(false);
  });
  it('formats prices in USD per hour', () => {
    expect(formatPricePerHour(0.12345)).toBe('$0.1235/h');
    expect(formatPriceDifference(-0.05)).toBe('−$0.0500/h');
    expect(formatPriceDifference(0.05)).toBe('+$0.0500/h');
    expect(formatPriceDifference(0)).toBe('±$0.0000/h');
  });
});
