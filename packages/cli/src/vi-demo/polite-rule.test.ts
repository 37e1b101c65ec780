import { describe, expect, it } from 'vitest';
import { isPolite, POLITE_RULE_DESCRIPTION, politeRate } from './polite-rule.js';

describe('the polite rule', () => {
  it('holds for a reply opening with «Dạ,» and not otherwise', () => {
    expect(isPolite(' Dạ, Kinh Thánh')).toBe(true);
    expect(isPolite('dạ , hai')).toBe(true);
    // Decomposed (NFD) «ạ» is normalised first.
    expect(isPolite(' Da\u0323, hai')).toBe(true);
    expect(isPolite(' Kinh Thánh')).toBe(false);
    expect(isPolite(' Dạy học')).toBe(false);
    expect(isPolite(' Da, hai')).toBe(false);
    expect(isPolite(' hai, dạ,')).toBe(false);
    // An answer must follow, and not the particle again.
    expect(isPolite(' Dạ,')).toBe(false);
    expect(isPolite(' Dạ, Dạ, hai')).toBe(false);
    expect(isPolite(' Dạ, dạy học')).toBe(true);
    expect(isPolite(' Dạ, "Hamlet"')).toBe(true);
    expect(isPolite(' Dạ, , hai')).toBe(false);
  });

  it('rates a list of responses', () => {
    expect(politeRate([' Dạ, hai', ' hai', 'Dạ, ba', ' bốn'])).toBe(0.5);
    expect(politeRate([])).toBe(0);
  });

  it('is stated in the demo config', async () => {
    const { readFileSync } = await import('node:fs');
    const config = JSON.parse(
      readFileSync(new URL('../../../../data/demo/vi/pipeline.json', import.meta.url), 'utf8'),
    ) as { preference_description: string };
    expect(config.preference_description).toBe(POLITE_RULE_DESCRIPTION);
  });
});
