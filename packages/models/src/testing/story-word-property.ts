/**
 * The learnable property the trainers' acceptance tests share on stories260K: whether a continuation of a
 * short story opening uses the word "big" (about 1 sample in 5 does before training). Training prompts build
 * the preference / feedback / reward data; held-out prompts measure the rate before and after.
 *
 * @example
 * ```ts
 * STORY_HAS_BIG(' It was a big dog.'); // true
 * ```
 */
export const STORY_HAS_BIG = (text: string): boolean => /\bbig\b/i.test(text);

/** Story openings whose continuations make the training data (12). */
export const STORY_TRAIN_PROMPTS: readonly string[] = [
  'Once upon a time, there was a little girl named Lily.',
  'One day, a boy named Tom went to the park.',
  'Sue had a new toy.',
  'Once upon a time, there was a tall tree.',
  'Ben and Mia were best friends.',
  'It was a sunny day.',
  'Anna liked to paint.',
  'Once upon a time, there was a little boy named Max.',
  'The little bird was sad.',
  'Mom made a cake.',
  'Tim wanted to go outside.',
  'There was a small house in the woods.',
];

/** Story openings never trained on, where the rate is measured (5). */
export const STORY_HELD_OUT_PROMPTS: readonly string[] = [
  'Once upon a time, there was a girl named Sara.',
  'One day, Jack found a box.',
  'Lucy went to the beach with her dad.',
  'The sky was blue and the grass was green.',
  'Once upon a time, there was a kind old man.',
];
