import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FUZZ_TARGETS, runFuzz } from './fuzz-model-files.js';

const dataDir = fileURLToPath(new URL('../../../../data/', import.meta.url));

describe('model-file fuzzing (the fixed CI sample of the 100,000-case script)', () => {
  it('5,000 seeded cases over six targets: every case a success or a typed error, none slower than 5 s', async () => {
    const report = await runFuzz({
      seed: 12,
      start: 0,
      count: 5000,
      dataDir,
      tmpDir: mkdtempSync(join(tmpdir(), 'rlhf-fuzz-')),
      hangMs: 5000,
    });
    expect(report.crashes).toEqual([]);
    expect(report.hangs).toEqual([]);
    expect(report.cases).toBe(5000);
    expect(report.success + report.typed).toBe(5000);
    // Every target is exercised on both paths (valid files load, broken ones are refused).
    for (const target of FUZZ_TARGETS) {
      expect(report.byTarget[target]?.success, target).toBeGreaterThan(10);
      expect(report.byTarget[target]?.typed, target).toBeGreaterThan(50);
    }
    // And the refusals come from the checks this fuzzer is for.
    for (const code of [
      'MODEL_CONFIG',
      'WEIGHTS_MISMATCH',
      'WEIGHTS_NON_FINITE',
      'TOKENIZER_REGEX_UNSAFE',
      'TOKENIZER_CHAT_TEMPLATE_LIMIT',
      'DATA_FILE_INVALID',
      'SAFETENSORS_HEADER_JSON',
    ]) {
      expect(report.codes[code], code).toBeGreaterThan(0);
    }
  });
});
