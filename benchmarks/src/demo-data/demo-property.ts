import type { DemoVariant } from './paths.js';
import { storyMood } from './story-mood.js';

/** The measurable property a demo variant teaches, judged by a plain rule on a generated response. */
export interface DemoProperty {
  /** What the rule checks, for reports. */
  name: string;
  /** Whether a response has the property. */
  has: (response: string) => boolean;
}

/**
 * The property of a variant: English stories should be happy ({@link storyMood} = `happy`). (The Vietnamese
 * demo's rule, polite answers, lives with its bundle in `packages/cli/src/vi-demo/polite-rule.ts`.)
 *
 * @example
 * ```ts
 * demoProperty('en').has(' she smiled at her mom.'); // true
 * ```
 */
export function demoProperty(variant: DemoVariant): DemoProperty {
  const properties: Record<DemoVariant, DemoProperty> = {
    en: { name: 'happy (a happy word, no sad word)', has: (r) => storyMood(r) === 'happy' },
  };
  return properties[variant];
}
