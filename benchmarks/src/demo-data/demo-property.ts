import type { DemoVariant } from './paths.js';
import { isRefusal } from './refusal-rule.js';
import { storyMood } from './story-mood.js';

/** The measurable property a demo variant teaches, judged by a plain rule on a generated response. */
export interface DemoProperty {
  /** What the rule checks, for reports. */
  name: string;
  /** Whether a response has the property. */
  has: (response: string) => boolean;
}

/**
 * The property of each variant: English stories should be happy ({@link storyMood} = `happy`); Vietnamese
 * answers should not be refusals ({@link isRefusal}).
 *
 * @example
 * ```ts
 * demoProperty('en').has(' she smiled at her mom.'); // true
 * ```
 */
export function demoProperty(variant: DemoVariant): DemoProperty {
  return variant === 'en'
    ? { name: 'happy (a happy word, no sad word)', has: (r) => storyMood(r) === 'happy' }
    : { name: 'answers (no "tôi không" / "không bi…" / "không rõ")', has: (r) => !isRefusal(r) };
}
