import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Random, type TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, LlamaForCausalLM, modelFromContent } from '@rlhf/models';
import { SFTTrainer, type TokenizedRecord } from '@rlhf/sft';
import { LLAMA_BENCH_CONFIG, LLAMA_QUICK_CONFIG } from '../llama-configs.js';
import { measure } from '../timing.js';
import type { BenchContext, BenchMeasurement, Benchmark } from './types.js';

const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));

interface SftSetup {
  model: CausalLM;
  records: TokenizedRecord[];
  batchSize: number;
  seqLen: number;
}

/**
 * Times whole `SFTTrainer.huan_luyen` runs of `steps` optimizer steps (batch × 1 accumulation) on records
 * tokenised beforehand, so the figure is the trainer's: collation, forward, loss, backward, clipping,
 * AdamW, schedule and logging. tokens/s counts non-padding input tokens.
 */
async function timeSft({ quick, repeats }: BenchContext, setup: SftSetup, steps: number): Promise<BenchMeasurement> {
  const { model, records, batchSize, seqLen } = setup;
  let tokens = 0;
  let trainerTokensPerSecond = 0;
  let lastLoss = Number.NaN;
  try {
    const timing = await measure(
      async () => {
        const trainer = new SFTTrainer({
          so_vong: 1,
          max_steps: steps,
          kich_thuoc_batch: batchSize,
          gradient_accumulation: 1,
          toc_do_hoc: 1e-4,
          max_seq_length: seqLen,
          logging_steps: steps,
        });
        const result = await trainer.huan_luyen(model, records);
        const stats = trainer.thong_ke();
        tokens = stats.tokens_seen;
        trainerTokensPerSecond = stats.tokens_per_second;
        lastLoss = result.history.train_loss.at(-1) ?? Number.NaN;
      },
      quick ? 0 : 1,
      repeats ?? (quick ? 1 : 3),
    );
    return {
      metric: 'tokens/s',
      value: tokens / (timing.medianMs / 1000),
      ...timing,
      params: {
        parameters: model.parameterCount(),
        batchSize,
        seqLen,
        steps,
        tokensPerRun: tokens,
        trainerTokensPerSecond: Math.round(trainerTokensPerSecond),
        lastLoss,
      },
    };
  } finally {
    model.dispose();
  }
}

/** stories260K with Alpaca prompt-completion records (completion-only loss), tokenised by its own tokenizer. */
function storiesSetup(backend: TensorBackend, quick: boolean): SftSetup {
  const dir = `${DATA_DIR}models/stories260K/`;
  const model = modelFromContent(
    convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`)),
    backend,
  );
  const tok = model.tokenizer;
  if (!tok) throw new Error('stories260K has no tokenizer');
  const seqLen = quick ? 96 : 128;
  const raw = JSON.parse(readFileSync(`${DATA_DIR}datasets/llamafactory/alpaca_en_demo.json`, 'utf8')) as {
    instruction: string;
    input: string;
    output: string;
  }[];
  const records = raw.slice(0, 64).map((r) => {
    const prompt = `### Instruction:\n${r.instruction}${r.input ? `\n\n### Input:\n${r.input}` : ''}\n\n### Response:\n`;
    const ids = tok.encode(prompt + r.output).slice(0, seqLen);
    const start = tok.encode(prompt).length;
    return { input_ids: ids, labels: ids.map((id, i) => (i < start ? -100 : id)) };
  });
  return { model, records, batchSize: quick ? 2 : 8, seqLen };
}

/** The small Llama benchmark model (3.43M) on random full-length sequences: comparable with `llama-train-step`. */
function llamaSetup(backend: TensorBackend, quick: boolean): SftSetup {
  const config = quick ? LLAMA_QUICK_CONFIG : LLAMA_BENCH_CONFIG;
  const model = new LlamaForCausalLM(backend, config, new Random(0));
  const [batchSize, seqLen] = quick ? [2, 16] : [8, 128];
  const rng = new Random(1);
  const records = Array.from({ length: batchSize * 4 }, () => ({
    input_ids: Array.from({ length: seqLen }, () => rng.int(config.vocab_size)),
  }));
  return { model, records, batchSize, seqLen };
}

/** SFTTrainer throughput on stories260K (Alpaca, up to 128 tokens, batch 8). */
export const sftStoriesBenchmark: Benchmark = {
  name: 'sft-stories260k',
  description: 'SFTTrainer on stories260K, Alpaca records ≤128 tokens, batch 8, tokens/s',
  run: (context) => timeSft(context, storiesSetup(context.backend, context.quick), context.quick ? 1 : 4),
};

/** SFTTrainer throughput on the small Llama benchmark model (3.43M), batch 8 × 128. */
export const sftLlamaBenchmark: Benchmark = {
  name: 'sft-llama-3m',
  description: 'SFTTrainer on the Llama 3.43M benchmark model, batch 8×128, tokens/s',
  run: (context) => timeSft(context, llamaSetup(context.backend, context.quick), context.quick ? 1 : 2),
};
