/** Cluster errors as one plain sentence a person can act on: never a stack trace. */

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  statusCode?: unknown;
}

function codesOf(err: unknown, depth = 0): { codes: string[]; status?: number; messages: string[] } {
  const out: { codes: string[]; status?: number; messages: string[] } = { codes: [], messages: [] };
  if (typeof err !== 'object' || err === null || depth > 4) return out;
  const e = err as ErrorLike;
  if (typeof e.code === 'string') out.codes.push(e.code);
  if (typeof e.code === 'number' && e.code >= 100 && e.code < 600) out.status = e.code;
  if (typeof e.statusCode === 'number') out.status = e.statusCode;
  if (typeof e.message === 'string') out.messages.push(e.message);
  const inner = codesOf(e.cause, depth + 1);
  out.codes.push(...inner.codes);
  out.messages.push(...inner.messages);
  out.status ??= inner.status;
  return out;
}

/**
 * One sentence for an error from reading the cluster at `server` with context `context`: connection refused,
 * unknown host, timeout, TLS trust, 401, 403, 404 of an API, else the first line of the error's message.
 */
export function plainClusterError(err: unknown, server: string, context: string): string {
  const { codes, status, messages } = codesOf(err);
  const text = messages.join(' ');
  const has = (code: string): boolean => codes.includes(code) || text.includes(code);
  if (has('ECONNREFUSED')) return `Cannot reach the cluster of context "${context}" at ${server}: nothing answers there. Start the cluster (for a local one: npm start) or switch context.`;
  if (has('ENOTFOUND') || has('EAI_AGAIN')) return `Cannot find the host of ${server} (context "${context}"). Check the kubeconfig's server address or your network.`;
  if (has('ETIMEDOUT') || has('UND_ERR_CONNECT_TIMEOUT') || /timed? ?out/i.test(text)) return `The cluster at ${server} (context "${context}") did not answer in time. Check the network or VPN, then reconnect.`;
  if (/certificate|self[- ]signed|CERT_/i.test(text) || codes.some((c) => c.includes('CERT'))) return `The TLS certificate of ${server} is not trusted by context "${context}". Fix its certificate-authority data in the kubeconfig.`;
  if (status === 401) return `The cluster at ${server} rejected the credentials of context "${context}" (401 Unauthorized). Log in again or refresh the token.`;
  if (status === 403) return `The user of context "${context}" may not list pods and NodePools cluster-wide (403 Forbidden). Ask for read access or switch context.`;
  if (status === 404) return `The cluster at ${server} does not serve a resource this view reads (404 Not Found).`;
  const first = (messages[0] ?? String(err)).split('\n')[0]?.slice(0, 200) ?? '';
  return `Cannot read from the cluster at ${server} (context "${context}"): ${first}`;
}
