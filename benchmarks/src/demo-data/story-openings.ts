import { Random } from '@rlhf/core';

/** A story's main character. */
interface Character {
  name: string;
  kind: 'girl' | 'boy';
}

const TRAIN_CHARACTERS: Character[] = [
  ...['Lily', 'Sue', 'Mia', 'Anna', 'Lucy', 'Amy', 'Jane', 'Sally'].map((name) => ({ name, kind: 'girl' as const })),
  ...['Tom', 'Ben', 'Max', 'Tim', 'Jack', 'Bob', 'Joe', 'Billy'].map((name) => ({ name, kind: 'boy' as const })),
];

/** Held out: no evaluation character appears in a training opening. */
const EVAL_CHARACTERS: Character[] = [
  ...['Sara', 'Emma', 'Kate', 'Molly'].map((name) => ({ name, kind: 'girl' as const })),
  ...['Sam', 'Leo', 'Jake', 'Mark'].map((name) => ({ name, kind: 'boy' as const })),
];

const TOYS = ['red ball', 'new doll', 'toy car', 'big kite', 'blue teddy bear', 'small boat'];
const PLACES = ['park', 'beach', 'store', 'zoo', 'farm', 'lake'];
const FIND_PLACES = ['garden', 'box', 'woods', 'yard', 'kitchen'];
const THINGS = ['shiny rock', 'little key', 'old hat', 'small bird', 'funny stick'];
const ACTIVITIES = ['play outside', 'climb the tree', 'bake a cake', 'fly a kite', 'swim in the pool'];
const ANIMALS = ['cat', 'dog', 'frog', 'bunny', 'duck'];
const PARENTS = ['mom', 'dad'];

type Template = (c: Character, pick: <T>(xs: readonly T[]) => T) => string;

const pronoun = (c: Character): string => (c.kind === 'girl' ? 'her' : 'his');

/** Opening sentences in the style of TinyStories; each ends where a continuation naturally starts with a space. */
const TEMPLATES: Template[] = [
  (c) => `Once upon a time, there was a little ${c.kind} named ${c.name}. One day,`,
  (c, pick) => `${c.name} had a ${pick(TOYS)}. One day,`,
  (c, pick) => `${c.name} went to the ${pick(PLACES)} with ${pronoun(c)} ${pick(PARENTS)}.`,
  (c, pick) => `${c.name} found a ${pick(THINGS)} in the ${pick(FIND_PLACES)}.`,
  (c, pick) => `${c.name} wanted to ${pick(ACTIVITIES)}, but`,
  (c, pick) => `One day, ${c.name} and ${pronoun(c)} friend went to the ${pick(PLACES)}.`,
  (c, pick) => `${c.name} saw a ${pick(ANIMALS)} in the garden.`,
  (c) => `It was ${c.name}'s birthday.`,
  (c, pick) => `${c.name} lost ${pronoun(c)} ${pick(TOYS)}.`,
  (c, pick) => `${c.name} was playing with ${pronoun(c)} ${pick(TOYS)} when`,
];

function openings(characters: readonly Character[], perCharacter: number, seed: number): string[] {
  const rng = new Random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;
  const out: string[] = [];
  for (const c of characters) {
    const order = rng.shuffle(TEMPLATES.map((_, i) => i)).slice(0, perCharacter);
    for (const t of order.sort((a, b) => a - b)) out.push((TEMPLATES[t] as Template)(c, pick));
  }
  return out;
}

/**
 * Story openings for training (SFT and preference pairs): 16 characters × 6 of the 10 templates, filled
 * in by a seeded generator, so the list is the same on every run.
 *
 * @example
 * ```ts
 * trainOpenings()[0]; // 'Once upon a time, there was a little girl named Lily. One day,' (or another template)
 * ```
 */
export function trainOpenings(): string[] {
  return openings(TRAIN_CHARACTERS, 6, 7);
}

/**
 * Held-out story openings for evaluation: 8 characters never used in training × 8 templates. None is a
 * training opening.
 */
export function evalOpenings(): string[] {
  const train = new Set(trainOpenings());
  return openings(EVAL_CHARACTERS, 8, 11).filter((o) => !train.has(o));
}
