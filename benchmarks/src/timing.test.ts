import { describe, expect, it } from 'vitest';
import { measure, measureInterleaved, median } from './timing.js';

describe('timing', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });

  it('measure: warm-up runs untimed, then the timed runs', async () => {
    let calls = 0;
    const t = await measure(
      async () => {
        calls++;
      },
      2,
      3,
    );
    expect(calls).toBe(5);
    expect(t.samplesMs).toHaveLength(3);
    expect(t.warmup).toBe(2);
  });

  it('measureInterleaved: the operations take turns, the order reversing every round; one timing each', async () => {
    const order: string[] = [];
    const op = (name: string, ms: number) => async () => {
      order.push(name);
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // busy wait: a measurable, known duration
      }
    };
    const [a, b] = await measureInterleaved([op('a', 1), op('b', 6)], 1, 3);
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
    expect(a?.samplesMs).toHaveLength(3);
    expect(b?.samplesMs).toHaveLength(3);
    expect(a?.warmup).toBe(1);
    expect((b?.medianMs as number) / (a?.medianMs as number)).toBeGreaterThan(3);
  });
});
