import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { validPreferenceRecords } from '@rlhf/preference-data';
import { readPreferenceFile } from '@rlhf/preference-data/node';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, dpoEnDemo, loadStories260K } from './__fixtures__/data.js';
import { DPOTrainer } from './dpo-trainer.js';

const backend = createJsBackend();

/** A plain chat template for stories260K, whose tokenizer has none. */
const PLAIN_TEMPLATE =
  "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

describe('real preference data end to end (stories260K, small subsets)', () => {
  it('LLaMA-Factory dpo_en_demo.json (ShareGPT, conversational): truncation counted, loss falls', async () => {
    const records = dpoEnDemo().slice(0, 8);
    const model = loadStories260K(backend);
    const trainer = new DPOTrainer({
      max_seq_length: 48,
      chat_template: PLAIN_TEMPLATE,
      kich_thuoc_batch: 4,
      gradient_accumulation: 1,
      so_vong: 2,
      logging_steps: 1,
      toc_do_hoc: 1e-3,
    });
    const result = await trainer.huan_luyen(model, null, records);
    const stats = trainer.thong_ke();
    console.log(
      JSON.stringify({
        dataset: 'dpo_en_demo',
        loss: result.history.train_loss,
        margin: result.final_reward_margin,
        truncated: stats.truncated_pairs,
        truncated_prompts: stats.truncated_prompts,
      }),
    );
    expect(stats.pairs).toBe(8);
    expect(stats.truncated_pairs).toBe(8); // every demo answer is far longer than 48 tokens
    expect(stats.truncated_prompts).toBeGreaterThan(0);
    const loss = result.history.train_loss;
    expect(loss[0]).toBeCloseTo(Math.LN2, 5);
    expect(loss[loss.length - 1]).toBeLessThan((loss[0] as number) - 0.1);
    expect(result.final_reward_margin).toBeGreaterThan(0);
    model.dispose();
  });

  it('Anthropic HH-RLHF (gzip JSONL, transcripts): bad rows found, truncation counted, loss falls', async () => {
    const path = fileURLToPath(new URL('datasets/hh-rlhf/harmless-base_test.jsonl.gz', `file://${DATA_DIR}`));
    const { records: raw } = await readPreferenceFile(path, { limit: 120 });
    const { records, skipped } = validPreferenceRecords(raw);
    expect(skipped).toEqual([{ index: 86, reason: 'preference_data[86].chosen is empty after the prompt.' }]);
    const model = loadStories260K(backend);
    const trainer = new DPOTrainer({
      max_seq_length: 48,
      kich_thuoc_batch: 4,
      gradient_accumulation: 1,
      so_vong: 2,
      logging_steps: 1,
      toc_do_hoc: 1e-3,
    });
    const result = await trainer.huan_luyen(model, null, records.slice(0, 8));
    const stats = trainer.thong_ke();
    console.log(
      JSON.stringify({
        dataset: 'hh-rlhf',
        loss: result.history.train_loss,
        margin: result.final_reward_margin,
        truncated: stats.truncated_pairs,
        truncated_prompts: stats.truncated_prompts,
      }),
    );
    expect(stats.pairs).toBe(8);
    expect(stats.truncated_pairs).toBeGreaterThan(0);
    const loss = result.history.train_loss;
    expect(loss[0]).toBeCloseTo(Math.LN2, 5);
    expect(loss[loss.length - 1]).toBeLessThan((loss[0] as number) - 0.1);
    model.dispose();
  });
});
