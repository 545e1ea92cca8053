import { describe, expect, it } from 'vitest';
import { fenced, LeadershipLostError } from './fence.js';

class Provider {
  #calls = 0;
  readonly name = 'p';
  get calls(): number {
    return this.#calls;
  }
  async create(x: number): Promise<number> {
    this.#calls++;
    return x * 2;
  }
}

describe('fenced', () => {
  it('passes calls through while the term lasts and refuses them once it ended; private fields keep working', async () => {
    const term = new AbortController();
    const provider = fenced(new Provider(), term.signal);
    expect(await provider.create(2)).toBe(4);
    expect(provider.calls).toBe(1);
    expect(provider.name).toBe('p');
    expect(provider).toBeInstanceOf(Provider);
    term.abort();
    await expect(provider.create(3)).rejects.toBeInstanceOf(LeadershipLostError);
    expect(provider.calls).toBe(1);
  });
});
