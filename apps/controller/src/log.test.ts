import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

describe('createLogger', () => {
  it('writes Karpenter-shaped JSON by default and one readable line with LOG_FORMAT=text', () => {
    const lines: string[] = [];
    const sink = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    createLogger('info', sink).info({ NodePool: { name: 'default' } }, 'created nodeclaim');
    createLogger('info', sink, 'text').info({ NodePool: { name: 'default' }, 'instance-type': 'c-4x' }, 'created nodeclaim');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'INFO', logger: 'controller', message: 'created nodeclaim', NodePool: { name: 'default' } });
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z INFO created nodeclaim NodePool=\{"name":"default"\} instance-type=c-4x\n$/);
  });
});
