/// <reference types="node" />
import { readFileSync } from 'node:fs';

/** A preference pair in the specification's layout. */
export interface TextPair {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** stories260K's own stories (see experiments/make-stories-fixture.experiment.ts). */
export function storySamples(): string[] {
  const url = new URL('./stories260k-samples.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { stories: string[] }).stories;
}

/**
 * Preference pairs with a learnable property: the chosen story mentions `word` (as a whole word), the
 * rejected one does not. Stories with the word are paired, in order, with stories without it; the first
 * `trainPairs` pairs are for training and the rest held out (no story appears in both).
 */
export function wordPairs(
  word: string,
  trainPairs: number,
  stories = storySamples(),
): { train: TextPair[]; heldOut: TextPair[] } {
  const re = new RegExp(`\\b${word}\\b`);
  const withWord = stories.filter((s) => re.test(s));
  const without = stories.filter((s) => !re.test(s));
  const pairs = withWord
    .slice(0, without.length)
    .map((chosen, i) => ({ prompt: '', chosen, rejected: without[i] as string }));
  return { train: pairs.slice(0, trainPairs), heldOut: pairs.slice(trainPairs) };
}
