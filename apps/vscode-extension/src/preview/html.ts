/**
 * The preview webview's HTML: a strict Content-Security-Policy (`default-src 'none'`; styles from the webview's
 * own resource origin; the one script only with this load's nonce), no inline script, no remote content.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce per page load: 16 random bytes from `crypto`, base64. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PreviewHtmlInput {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(...)` of media/dist/preview.js and media/preview.css. */
  scriptUri: string;
  styleUri: string;
}

const escapeAttribute = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function previewHtml(input: PreviewHtmlInput): string {
  const csp = [`default-src 'none'`, `style-src ${input.cspSource}`, `script-src 'nonce-${input.nonce}'`, `img-src ${input.cspSource}`, `font-src ${input.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(input.styleUri)}">
<title>Preview Packing</title>
</head>
<body>
<main id="root"><p class="notice">Computing the packing preview…</p></main>
<script nonce="${escapeAttribute(input.nonce)}" src="${escapeAttribute(input.scriptUri)}"></script>
</body>
</html>`;
}
