import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { aliasesOf, canonicalOptionKey, OptionSpellingError, TRL_OPTION_ALIASES } from './option-aliases.js';
import { described, option, resolveOptions } from './option-schema.js';

const specs = {
  so_vong: described('Number of epochs (số vòng)', option.integer(3, { min: 1 })),
  toc_do_hoc: option.number(2e-5, { min: 0 }),
  kich_thuoc_batch: option.integer(4, { min: 1 }),
  gradient_accumulation: option.integer(4, { min: 1 }),
  gradient_clip: option.number(1, { min: 0 }),
  max_seq_length: option.integer(512, { min: 2 }),
  beta: option.number(0.1, { min: 0 }),
};

describe("TRL's option names as aliases of the specification's keys", () => {
  it('maps each TRL name of the table to its key when resolving options', () => {
    const given = {
      learning_rate: 1e-4,
      num_train_epochs: 2,
      per_device_train_batch_size: 8,
      gradient_accumulation_steps: 2,
      max_grad_norm: 0.5,
      max_length: 128,
    };
    expect(resolveOptions('T', specs, given)).toEqual({
      so_vong: 2,
      toc_do_hoc: 1e-4,
      kich_thuoc_batch: 8,
      gradient_accumulation: 2,
      gradient_clip: 0.5,
      max_seq_length: 128,
      beta: 0.1,
    });
    expect(Object.keys(TRL_OPTION_ALIASES)).toEqual(Object.keys(given));
  });

  it('names a key by its alias both ways', () => {
    expect(canonicalOptionKey('learning_rate')).toBe('toc_do_hoc');
    expect(canonicalOptionKey('beta')).toBe('beta');
    expect(aliasesOf('so_vong')).toEqual(['num_train_epochs']);
    expect(aliasesOf('beta')).toEqual([]);
  });

  it('refuses both spellings of one option, in either order, naming both', () => {
    for (const given of [
      { toc_do_hoc: 1e-4, learning_rate: 1e-3 },
      { learning_rate: 1e-3, toc_do_hoc: 1e-4 },
    ]) {
      const error = (() => {
        try {
          resolveOptions('SFTTrainer', specs, given);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(OptionSpellingError);
      expect((error as OptionSpellingError).code).toBe('CONFIG_BOTH_SPELLINGS');
      expect((error as Error).message).toContain("'toc_do_hoc'");
      expect((error as Error).message).toContain("'learning_rate'");
    }
  });

  it('a bad value under an alias names the key and the alias it was given as', () => {
    expect(() => resolveOptions('SFTTrainer', specs, { num_train_epochs: 0 })).toThrow(ConfigError);
    expect(() => resolveOptions('SFTTrainer', specs, { num_train_epochs: 0 })).toThrow(
      "option 'so_vong' = 0 is not allowed; expected an integer ≥ 1 (given as 'num_train_epochs')",
    );
  });

  it('keeps a description on a described spec', () => {
    expect(specs.so_vong.description).toBe('Number of epochs (số vòng)');
    expect(specs.so_vong.default).toBe(3);
  });
});
