/** The plain rule's verdict on a story continuation. */
export type StoryMood = 'happy' | 'sad' | 'mixed' | 'neutral';

/** Words of a happy turn (whole words, any case). */
export const HAPPY_WORDS = /\b(happy|happily|smiled?|smiles|smiling|laugh(ed|s|ing)?|fun|glad|joy|hugged|excited)\b/i;

/** Words of a sad turn (whole words, any case). */
export const SAD_WORDS = /\b(sad|sadly|cried|cry|cries|crying|tears|angry|mad|upset|scared|hurt)\b/i;

/**
 * Classifies a continuation by the plain rule of the English demo: `happy` when it has a happy word
 * ({@link HAPPY_WORDS}) and no sad word ({@link SAD_WORDS}), `sad` the other way round, `mixed` with both,
 * `neutral` with neither. The demo's preference pairs are (happy, sad) continuations of the same opening,
 * and its success measure is the share of `happy` generations.
 *
 * @example
 * ```ts
 * storyMood('She smiled and played with her ball.'); // 'happy'
 * storyMood('He cried all day.'); // 'sad'
 * ```
 */
export function storyMood(text: string): StoryMood {
  const happy = HAPPY_WORDS.test(text);
  const sad = SAD_WORDS.test(text);
  return happy ? (sad ? 'mixed' : 'happy') : sad ? 'sad' : 'neutral';
}
