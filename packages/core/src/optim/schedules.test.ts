import { describe, expect, it } from 'vitest';
import { constantSchedule, cosineSchedule, linearSchedule } from './schedules.js';

describe('learning-rate schedules (Hugging Face semantics)', () => {
  const opts = { lr: 1e-3, warmupSteps: 10, totalSteps: 110 };

  it('linear: 0 at warm-up start, peak at warm-up end, half at the midpoint of decay, 0 at the end', () => {
    const lr = linearSchedule(opts);
    expect(lr(0)).toBe(0);
    expect(lr(5)).toBeCloseTo(5e-4, 15);
    expect(lr(10)).toBeCloseTo(1e-3, 15);
    expect(lr(60)).toBeCloseTo(5e-4, 15); // (110 − 60)/(110 − 10) = 0.5
    expect(lr(110)).toBe(0);
    expect(lr(200)).toBe(0);
  });

  it('cosine: 0, peak, half at the midpoint, 0 at the end', () => {
    const lr = cosineSchedule(opts);
    expect(lr(0)).toBe(0);
    expect(lr(10)).toBeCloseTo(1e-3, 15);
    expect(lr(60)).toBeCloseTo(5e-4, 15); // ½(1 + cos(π/2))
    expect(lr(35)).toBeCloseTo(1e-3 * 0.5 * (1 + Math.cos(Math.PI / 4)), 15);
    expect(lr(110)).toBeCloseTo(0, 15);
  });

  it('constant: warm-up then flat', () => {
    const lr = constantSchedule(opts);
    expect(lr(0)).toBe(0);
    expect(lr(5)).toBeCloseTo(5e-4, 15);
    expect(lr(10)).toBe(1e-3);
    expect(lr(60)).toBe(1e-3);
    expect(lr(110)).toBe(1e-3);
  });

  it('no warm-up starts at the peak; bad totals are rejected', () => {
    expect(linearSchedule({ lr: 2, totalSteps: 4 })(0)).toBe(2);
    expect(linearSchedule({ lr: 2, totalSteps: 4 })(2)).toBe(1);
    expect(() => linearSchedule({ lr: 1, totalSteps: 0 })).toThrow(/totalSteps/);
  });
});
