import { InvalidArgumentError } from '@rlhf/core';
import type { OnnxRuntimeBackendOptions } from './onnxruntime-backend.js';

/** What each option must be: a whole number ≥ 1, a number ≥ 0 (Infinity allowed), a boolean or a string. */
const RULES: Readonly<Record<keyof OnnxRuntimeBackendOptions, 'count' | 'limit' | 'boolean' | 'string'>> = {
  threads: 'count',
  sessionCacheSize: 'count',
  contribOps: 'boolean',
  spinning: 'boolean',
  profileFilePrefix: 'string',
  hostOptimizer: 'boolean',
  arenaMaxElements: 'limit',
  memoryPatternMaxElements: 'limit',
  directSessions: 'boolean',
};

const REASONS = {
  count: 'must be a whole number ≥ 1',
  limit: 'must be a number ≥ 0 (Infinity for no limit)',
  boolean: 'must be true or false',
  string: 'must be a string',
} as const;

/**
 * Checks the options of `createOnnxRuntimeBackend`, throwing an `InvalidArgumentError` that names the first
 * bad one (options that are absent or `undefined` take their defaults; other keys are ignored).
 *
 * @example
 * ```ts
 * validateOnnxRuntimeOptions({ threads: 0 }); // throws: threads must be a whole number ≥ 1
 * ```
 */
export function validateOnnxRuntimeOptions(options: OnnxRuntimeBackendOptions): void {
  for (const [key, rule] of Object.entries(RULES) as [keyof OnnxRuntimeBackendOptions, keyof typeof REASONS][]) {
    const value: unknown = options[key];
    if (value === undefined) continue;
    const ok =
      rule === 'count'
        ? Number.isInteger(value) && (value as number) >= 1
        : rule === 'limit'
          ? typeof value === 'number' && value >= 0
          : typeof value === rule;
    if (!ok) throw new InvalidArgumentError('createOnnxRuntimeBackend', key, value, REASONS[rule]);
  }
}
