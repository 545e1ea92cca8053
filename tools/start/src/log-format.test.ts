import { describe, expect, it } from 'vitest';
import { formatLogLine } from './log-format.js';

describe('formatLogLine', () => {
  it.each([
    {
      name: 'pino entry with controller and fields',
      line: JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 29, 17, 52, 1, 123), controller: 'provisioner', msg: 'found provisionable pod(s)', pods: ['default/a', 'default/b'], nodepool: 'default' }),
      want: '17:52:01.123  INFO   provisioner  found provisionable pod(s)  pods=default/a,default/b nodepool=default',
    },
    {
      name: 'long pod lists are cut after five',
      line: JSON.stringify({ level: 40, time: 0, msg: 'm', pods: ['1', '2', '3', '4', '5', '6', '7'] }),
      want: '00:00:00.000  WARN   m  pods=1,2,3,4,5,…(7)',
    },
    {
      name: 'Karpenter-style entry with string level and RFC 3339 time',
      line: JSON.stringify({ level: 'INFO', time: '2026-11-29T17:52:01.123Z', logger: 'controller', message: 'created nodeclaim', NodePool: { name: 'default' } }),
      want: '17:52:01.123  INFO   controller  created nodeclaim  NodePool=default',
    },
    { name: 'plain text passes through', line: 'not json', want: 'not json' },
    { name: 'JSON that is not an object passes through', line: '[1,2]', want: '[1,2]' },
  ])('$name', ({ line, want }) => {
    expect(formatLogLine(line)).toBe(want);
  });
});
