import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { createRewardModel } from '@rlhf/models';
import { validPreferenceRecords } from '@rlhf/preference-data';
import { it } from 'vitest';
import { loadStories260K } from '../src/__fixtures__/stories260k.js';
import { RewardModel } from '../src/reward-trainer.js';

// A reward model from stories260K trained on Anthropic HH-RLHF harmless-base pairs
// (data/datasets/hh-rlhf/harmless-base_test.jsonl.gz: 2,312 records; the 4 with an empty reply are
// skipped). Split by file order: the first TRAIN valid records train, the last HELD_OUT are held out.
// Sequences are cut to MAX_LEN tokens (prompt end kept up to MAX_LEN/2, responses cut, as TRL).
//   HH_TRAIN=1000 HH_HELD_OUT=400 HH_EPOCHS=1 pnpm vitest run --config packages/reward/experiments/vitest.config.ts hh-rlhf
const TRAIN = Number(process.env.HH_TRAIN ?? 1000);
const HELD_OUT = Number(process.env.HH_HELD_OUT ?? 400);
const EPOCHS = Number(process.env.HH_EPOCHS ?? 1);
const MAX_LEN = Number(process.env.HH_MAX_LEN ?? 128);
const LR = Number(process.env.HH_LR ?? 5e-4);

it('HH-RLHF harmless-base: held-out pairwise accuracy', async () => {
  const file = fileURLToPath(new URL('../../../data/datasets/hh-rlhf/harmless-base_test.jsonl.gz', import.meta.url));
  const lines = gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const { records, skipped } = validPreferenceRecords(lines.map((l) => JSON.parse(l) as unknown));
  if (TRAIN + HELD_OUT > records.length) throw new Error(`only ${records.length} valid records`);
  const train = records.slice(0, TRAIN);
  const heldOut = records.slice(records.length - HELD_OUT);
  const rm = createRewardModel(loadStories260K(createJsBackend()), new Random(42));
  const trainer = new RewardModel({
    toc_do_hoc: LR,
    seed: 42,
    kich_thuoc_batch: 8,
    max_seq_length: MAX_LEN,
    logging_steps: 25,
  });
  const before = await trainer.danh_gia(rm, heldOut);
  const result = await trainer.huan_luyen(rm, train, EPOCHS, (r) => {
    if (r.kind === 'train')
      console.log(
        `step ${r.step}: loss ${r.loss.toFixed(4)} accuracy ${r.metrics.accuracy?.toFixed(3)} (${r.tokens_per_second.toFixed(0)} tokens/s)`,
      );
  });
  const after = await trainer.danh_gia(rm, heldOut);
  const trainEval = await trainer.danh_gia(rm, train);
  console.log(
    `HH-RLHF harmless-base (${lines.length} records, ${skipped.length} skipped): train = first ${TRAIN} valid records, held-out = last ${HELD_OUT}; ` +
      `max_seq_length ${MAX_LEN}, lr ${LR}, ${EPOCHS} epoch(s), ${result.global_step} steps, ${result.truncated_pairs} train pairs truncated, ${result.tong_thoi_gian.toFixed(0)} s. ` +
      `Held-out accuracy ${before.accuracy.toFixed(3)} → ${after.accuracy.toFixed(3)} (loss ${before.loss.toFixed(4)} → ${after.loss.toFixed(4)}); ` +
      `train-set accuracy after: ${trainEval.accuracy.toFixed(3)}`,
  );
});
