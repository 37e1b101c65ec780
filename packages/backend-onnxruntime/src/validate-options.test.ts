import { InvalidArgumentError } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend, type OnnxRuntimeBackendOptions } from './index.js';

describe('createOnnxRuntimeBackend options', () => {
  it.each([
    [{ threads: 0 }, /threads.*whole number/],
    [{ threads: 1.5 }, /threads.*whole number/],
    [{ sessionCacheSize: -1 }, /sessionCacheSize.*whole number/],
    [{ memoryPatternMaxElements: Number.NaN }, /memoryPatternMaxElements.*≥ 0/],
    [{ arenaMaxElements: -1 }, /arenaMaxElements.*≥ 0/],
    [{ directSessions: 'yes' }, /directSessions.*true or false/],
    [{ hostOptimizer: 1 }, /hostOptimizer.*true or false/],
    [{ profileFilePrefix: 3 }, /profileFilePrefix.*string/],
  ])('%o throws an InvalidArgumentError naming the option', (options, message) => {
    const create = () => createOnnxRuntimeBackend(options as unknown as OnnxRuntimeBackendOptions);
    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(message);
  });

  it('accepts valid values, Infinity for a limit and undefined for a default', async () => {
    const b = createOnnxRuntimeBackend({
      threads: 1,
      arenaMaxElements: Number.POSITIVE_INFINITY,
      memoryPatternMaxElements: 0,
      directSessions: false,
      spinning: undefined,
    });
    expect(b.name).toBe('onnxruntime');
    await b.release();
  });
});
