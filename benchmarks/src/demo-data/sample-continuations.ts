import { type CausalLM, generate, type Tokenizer } from '@rlhf/models';

/** How continuations are sampled. */
export interface SamplingPlan {
  /** Continuations per opening. */
  samples: number;
  maxNewTokens: number;
  temperature: number;
  topK: number;
  /** Seed of the first opening; opening i uses `seed + i`. */
  seed: number;
}

/** One sampled continuation, cleaned up. */
export interface Continuation {
  /** The text after the opening, starting with its space, cut after its last complete sentence. */
  text: string;
  /** Whether the cut text is usable (see {@link cleanContinuation}). */
  usable: boolean;
}

/** Words never shipped in the demo data (the model has seen a few in TinyStories' noise). */
const BLOCKLIST = /\b(shit|damn|hell|stupid|kill|killed|dead|die|died)\b/i;

/**
 * Cuts a raw continuation to clean story text: up to the first line break, then after the last sentence end
 * (`.`, `!` or `?`, with a closing quote if one follows). Usable when it starts with a space (so
 * prompt + text is how the model itself would write it), has at least 6 words, balanced quotes, only
 * printable ASCII, and no blocklisted word.
 *
 * @example
 * ```ts
 * cleanContinuation(' she saw a cat. The cat was sof'); // { text: ' she saw a cat.', usable: false } (too short)
 * ```
 */
export function cleanContinuation(raw: string): Continuation {
  const line = raw.split('\n')[0] as string;
  const ends = [...line.matchAll(/[.!?]"?/g)];
  const last = ends[ends.length - 1];
  const text = last === undefined ? '' : line.slice(0, (last.index as number) + last[0].length);
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '').length;
  const quotes = (text.match(/"/g) ?? []).length;
  const usable =
    text.startsWith(' ') &&
    !text.startsWith('  ') &&
    words >= 6 &&
    quotes % 2 === 0 &&
    /^[\x20-\x7e]+$/.test(text) &&
    !BLOCKLIST.test(text);
  return { text, usable };
}

/**
 * Samples continuations of each opening with the model (BOS + opening; stops at BOS or EOS, the story
 * separators), seeded per opening, and cleans them ({@link cleanContinuation}). The text after the opening is
 * taken from the decoded whole sequence, so its leading space is kept.
 *
 * @example
 * ```ts
 * const [forLily] = await sampleContinuations(model, ['Lily had a red ball. One day,'], plan, (i, n) => {});
 * ```
 */
export async function sampleContinuations(
  model: CausalLM,
  tokenizer: Tokenizer,
  openings: readonly string[],
  plan: SamplingPlan,
  progress: (done: number, total: number) => void = () => {},
): Promise<Continuation[][]> {
  const out: Continuation[][] = [];
  for (const [i, opening] of openings.entries()) {
    const ids = tokenizer.encode(opening);
    const prefix = tokenizer.decode(ids, { skipSpecialTokens: true });
    const { sequences } = await generate(
      model,
      Array.from({ length: plan.samples }, () => ids),
      {
        maxNewTokens: plan.maxNewTokens,
        temperature: plan.temperature,
        topK: plan.topK,
        seed: plan.seed + i,
        eosTokenId: [1, 2],
      },
    );
    out.push(
      sequences.map((seq) => {
        const whole = tokenizer.decode([...ids, ...seq.filter((t) => t > 2)], { skipSpecialTokens: true });
        return cleanContinuation(whole.startsWith(prefix) ? whole.slice(prefix.length) : '');
      }),
    );
    progress(i + 1, openings.length);
  }
  return out;
}
