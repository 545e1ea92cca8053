import { describe, expect, it } from 'vitest';
import { plainClusterError } from './errors.js';

const server = 'https://127.0.0.1:6443';
describe('plainClusterError', () => {
  it.each([
    ['connection refused (nested cause)', Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }) }), /^Cannot reach the cluster of context "local" at https:\/\/127\.0\.0\.1:6443: nothing answers there\./],
    ['unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), /Cannot find the host/],
    ['401', Object.assign(new Error('HTTP-Code: 401'), { code: 401 }), /401 Unauthorized/],
    ['403', Object.assign(new Error('HTTP-Code: 403'), { code: 403 }), /403 Forbidden/],
    ['TLS', new Error('self-signed certificate in certificate chain'), /TLS certificate .* is not trusted/],
    ['anything else, first line only', new Error('boom\n    at stack (file.js:1:1)'), /^Cannot read from the cluster at .*: boom$/],
    ['a non-Error', 'weird', /: weird$/],
  ])('%s', (_name, err, expected) => {
    const text = plainClusterError(err, server, 'local');
    expect(text).toMatch(expected);
    expect(text).not.toMatch(/\n|\bat .*:\d+:\d+/);
  });
});
