import { it } from 'vitest';
import { alpacaRecords, xquadViRecords } from '../src/__fixtures__/datasets.js';
import { stories260K } from '../src/__fixtures__/models.js';
import type { SFTConfig } from '../src/sft-config.js';
import { SFTTrainer } from '../src/sft-trainer.js';

/**
 * One epoch of stories260K over (nearly) whole datasets, validation on held-out records before and after.
 * Select runs with RUNS=alpaca,alpaca-lora,xquad (default: all three); TRAIN=N and VAL=N cap the records
 * (default: all training records, 100 validation records). At ~200–450 tokens/s (backend-js, 2 cores) a
 * whole run is 5–10 minutes per 100k tokens.
 */
const BASE: SFTConfig = {
  so_vong: 1,
  kich_thuoc_batch: 8,
  gradient_accumulation: 1,
  warmup_ratio: 0.05,
  logging_steps: 10,
  eval_on_start: true,
};
const LORA = {
  r: 8,
  lora_alpha: 16,
  target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
};

const cap = (n: string | undefined, fallback: number) => (n ? Number(n) : fallback);
const TRAIN = cap(process.env.TRAIN, Number.POSITIVE_INFINITY);
const VAL = cap(process.env.VAL, 100);
const alpaca = alpacaRecords();
const qa = xquadViRecords();
const runs: Record<string, { options: SFTConfig; train: object[]; val: object[] }> = {
  alpaca: {
    options: { toc_do_hoc: 3e-3, max_seq_length: 128 },
    train: alpaca.slice(100, 100 + TRAIN),
    val: alpaca.slice(0, VAL),
  },
  'alpaca-lora': {
    options: { toc_do_hoc: 1e-2, max_seq_length: 128, lora: LORA },
    train: alpaca.slice(100, 100 + TRAIN),
    val: alpaca.slice(0, VAL),
  },
  xquad: {
    options: { toc_do_hoc: 3e-3, max_seq_length: 192 },
    train: qa.filter((r) => r.paragraph >= 40).slice(0, TRAIN),
    val: qa.filter((r) => r.paragraph < 40).slice(0, VAL),
  },
};

const selected = (process.env.RUNS ?? Object.keys(runs).join(',')).split(',');
for (const name of selected) {
  it(name, async () => {
    const run = runs[name];
    if (!run) throw new Error(`unknown run ${name}; known: ${Object.keys(runs).join(', ')}`);
    const trainer = new SFTTrainer({ ...BASE, ...run.options });
    const result = await trainer.huan_luyen(stories260K(), run.train as never, run.val as never, null, (r) =>
      process.stderr.write(`${name} ${JSON.stringify(r)}\n`),
    );
    const [before, after] = [result.history.val_loss[0], result.history.val_loss.at(-1)];
    console.log(
      JSON.stringify({
        run: name,
        records: { train: run.train.length, val: run.val.length },
        before,
        after,
        result,
        stats: trainer.thong_ke(),
      }),
    );
  });
}
