import { describe, expect, it } from 'vitest';
import { safetensorsCandidate } from '../testing/safetensors-mutations.js';
import { seededRandom } from './__fixtures__/raw-safetensors.js';
import { LOADABLE_DTYPE_SIZE } from './dtype.js';
import { parseSafetensorsHeader } from './parse-header.js';
import { parseSafetensors } from './parse-safetensors.js';
import { SafetensorsError } from './safetensors-error.js';

const random = seededRandom(20240611);
const candidate = () => safetensorsCandidate(random);

describe('parseSafetensors under fuzzing', () => {
  it('either parses or throws a SafetensorsError, and never allocates past the file size', () => {
    let parsed = 0;
    const codes = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const bytes = candidate();
      let result: ReturnType<typeof parseSafetensors> | undefined;
      try {
        result = parseSafetensors(bytes, `fuzz-${i}.safetensors`);
      } catch (error) {
        if (!(error instanceof SafetensorsError)) {
          throw new Error(`case ${i}: ${String(error)} is not a SafetensorsError`, { cause: error });
        }
        expect(error.message.startsWith(`fuzz-${i}.safetensors: `)).toBe(true);
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
        continue;
      }
      parsed++;
      // Whatever parsed was fully validated: source bytes fit the data section, float32 output ≤ 2 × file.
      const { entries, dataStart } = parseSafetensorsHeader(bytes);
      const sourceBytes = entries.reduce((sum, e) => sum + (e.end - e.begin), 0);
      expect(sourceBytes).toBe(bytes.length - dataStart);
      let outputBytes = 0;
      for (const entry of entries) {
        const tensor = result.tensors.get(entry.name);
        const count = entry.shape.reduce((a, b) => a * b, 1);
        expect(tensor?.data.length).toBe(count);
        expect(count * LOADABLE_DTYPE_SIZE[entry.dtype]).toBe(entry.end - entry.begin);
        outputBytes += tensor?.data.byteLength ?? 0;
      }
      expect(outputBytes).toBeLessThanOrEqual(2 * bytes.length);
    }
    // The fuzzer must exercise both paths and most of the checks.
    expect(parsed).toBeGreaterThan(500);
    expect(5000 - parsed).toBeGreaterThan(2000);
    expect([...codes.keys()].sort()).toEqual(
      expect.arrayContaining([
        'SAFETENSORS_DTYPE',
        'SAFETENSORS_ENTRY',
        'SAFETENSORS_GAP',
        'SAFETENSORS_HEADER_ENCODING',
        'SAFETENSORS_HEADER_JSON',
        'SAFETENSORS_HEADER_LENGTH',
        'SAFETENSORS_OFFSETS',
        'SAFETENSORS_OUT_OF_BOUNDS',
        'SAFETENSORS_OVERLAP',
        'SAFETENSORS_SHAPE',
        'SAFETENSORS_SIZE_MISMATCH',
        'SAFETENSORS_TRUNCATED',
      ]),
    );
  });
});
