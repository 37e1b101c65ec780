import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { Random, RlhfError } from '@rlhf/core';
import { readRecords } from '@rlhf/core/node';
import { preparePreferenceData } from '@rlhf/dpo';
import {
  contentFromFiles,
  contentOfModel,
  convertLlama2c,
  type HfDirectoryFiles,
  LlamaForCausalLM,
  modelFromContent,
  parseSafetensors,
  renderChatTemplate,
  serializeSafetensors,
  Tokenizer,
} from '@rlhf/models';
import {
  chatTemplateCase,
  messagesCase,
  modelFilesCase,
  mutateTokenizerJson,
  safetensorsCandidate,
  seededRandom,
} from '@rlhf/models/testing';
import { prepareDataset } from '@rlhf/sft';
import { dpoLinesCase, sftLinesCase } from './data-line-mutations.js';

/**
 * The model-file fuzzer: seeded cases over six targets (safetensors bytes, a model directory's files,
 * `tokenizer.json`, chat templates, SFT and preference data lines), each run and classified as a success,
 * a typed error (an `RlhfError`), a crash (any other error) or a hang (longer than the time limit). Case
 * `i` of seed `s` is the same everywhere, so a failure is reproduced by running that case alone.
 */

/** How one case ended. */
export type FuzzOutcome = 'success' | 'typed' | 'crash' | 'hang';

/** The fuzz targets, taken in turn (case i runs target i mod 6). */
export const FUZZ_TARGETS = [
  'safetensors',
  'model-files',
  'tokenizer',
  'chat-template',
  'sft-lines',
  'dpo-lines',
] as const;

/** One target's name. */
export type FuzzTarget = (typeof FUZZ_TARGETS)[number];

/** Totals of a fuzz run. */
export interface FuzzReport {
  cases: number;
  success: number;
  typed: number;
  crashes: { index: number; target: FuzzTarget; error: string }[];
  hangs: { index: number; target: FuzzTarget; ms: number }[];
  /** Successes, typed errors and time (ms) per target. */
  byTarget: Record<string, { success: number; typed: number; ms: number }>;
  /** Typed errors by code. */
  codes: Record<string, number>;
  /** Wall time of the run (ms). */
  ms: number;
}

interface Bases {
  files: HfDirectoryFiles;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  template: string;
  tokenizer: Tokenizer;
}

/** The valid files every mutation starts from: a tiny Llama with stories260K's tokenizer and phi-3's template. */
export async function fuzzBases(dataDir: string): Promise<Bases> {
  const conv = convertLlama2c(
    readFileSync(join(dataDir, 'models/stories260K/stories260K.bin')),
    readFileSync(join(dataDir, 'models/stories260K/tok512.bin')),
  );
  const phi3 = JSON.parse(readFileSync(join(dataDir, 'tokenizers/phi-3-mini/tokenizer_config.json'), 'utf8'));
  const template = phi3.chat_template as string;
  const backend = createJsBackend();
  const tiny = new LlamaForCausalLM(
    backend,
    {
      model_type: 'llama',
      vocab_size: 512,
      hidden_size: 8,
      intermediate_size: 16,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      max_position_embeddings: 64,
      tie_word_embeddings: true,
      bos_token_id: 1,
      eos_token_id: 2,
    },
    new Random(0),
  );
  const content = await contentOfModel(tiny);
  tiny.dispose();
  const tokenizerJson = conv.tokenizerJson as Record<string, unknown>;
  const tokenizerConfig = { ...(conv.tokenizerConfig ?? {}), chat_template: template };
  return {
    files: {
      config: content.config,
      weights: serializeSafetensors(content.tensors),
      tokenizerJson,
      tokenizerConfig,
      generationConfig: { bos_token_id: 1, eos_token_id: 2 },
    },
    tokenizerJson,
    tokenizerConfig,
    template,
    tokenizer: Tokenizer.fromJSON(tokenizerJson, tokenizerConfig),
  };
}

const backend = createJsBackend();

/** Runs case `index` of `seed` (see {@link FUZZ_TARGETS}); resolves with what it returned, or rejects. */
export async function runFuzzCase(seed: number, index: number, bases: Bases, tmpDir: string): Promise<unknown> {
  const random = seededRandom((Math.imul(seed, 0x9e3779b1) ^ index) >>> 0);
  const target = FUZZ_TARGETS[index % FUZZ_TARGETS.length] as FuzzTarget;
  switch (target) {
    case 'safetensors':
      return parseSafetensors(safetensorsCandidate(random), `case-${index}.safetensors`).tensors.size;
    case 'model-files': {
      const model = modelFromContent(contentFromFiles(modelFilesCase(random, bases.files), `case-${index}`), backend);
      const n = model.parameterCount();
      model.dispose();
      return n;
    }
    case 'tokenizer': {
      const tokenizer = Tokenizer.fromJSON(mutateTokenizerJson(random, bases.tokenizerJson), bases.tokenizerConfig);
      const text = ['Once upon a time', 'a'.repeat(40), ' \n\t', 'é😀\u0000', ''][index % 5] as string;
      return tokenizer.decode(tokenizer.encode(text));
    }
    case 'chat-template':
      return renderChatTemplate(chatTemplateCase(random, bases.template), {
        messages: messagesCase(random),
        bos_token: '<s>',
        eos_token: '</s>',
        add_generation_prompt: random() < 0.5,
      }).length;
    case 'sft-lines':
    case 'dpo-lines': {
      const file = join(tmpDir, `case-${index}.jsonl`);
      writeFileSync(file, target === 'sft-lines' ? sftLinesCase(random) : dpoLinesCase(random));
      try {
        const { records } = await readRecords(file);
        if (target === 'sft-lines') {
          return (
            await prepareDataset(records, {
              dataset: file,
              tokenizer: bases.tokenizer,
              maxSeqLength: 32,
              vocabSize: 512,
              completionOnlyLoss: true,
              assistantOnlyLoss: random() < 0.5,
              packing: random() < 0.3,
            })
          ).examples.length;
        }
        return (await preparePreferenceData(records, bases.tokenizer, { maxSeqLength: 32, vocabSize: 512 })).pairs
          .length;
      } finally {
        rmSync(file, { force: true });
      }
    }
  }
}

/**
 * Runs cases `start … start + count - 1` of `seed` one after another and classifies each; a case that
 * takes longer than `hangMs` is a hang. (A case that never returns cannot be caught in-process: the
 * script runs batches in child processes with a kill timer for that.)
 *
 * @example
 * ```ts
 * const report = await runFuzz({ seed: 1, start: 0, count: 5000, dataDir: 'data', tmpDir: '/tmp/fuzz' });
 * ```
 */
export async function runFuzz(options: {
  seed: number;
  start: number;
  count: number;
  dataDir: string;
  tmpDir: string;
  hangMs?: number;
  onCase?: (index: number, outcome: FuzzOutcome) => void;
}): Promise<FuzzReport> {
  const { seed, start, count, dataDir, tmpDir, hangMs = 5_000, onCase } = options;
  mkdirSync(tmpDir, { recursive: true });
  const bases = await fuzzBases(dataDir);
  const report: FuzzReport = { cases: 0, success: 0, typed: 0, crashes: [], hangs: [], byTarget: {}, codes: {}, ms: 0 };
  const began = performance.now();
  for (let index = start; index < start + count; index++) {
    const target = FUZZ_TARGETS[index % FUZZ_TARGETS.length] as FuzzTarget;
    report.byTarget[target] = report.byTarget[target] ?? { success: 0, typed: 0, ms: 0 };
    const tally = report.byTarget[target];
    const t0 = performance.now();
    let outcome: FuzzOutcome;
    try {
      await runFuzzCase(seed, index, bases, tmpDir);
      outcome = 'success';
    } catch (error) {
      if (RlhfError.isInstance(error)) {
        outcome = 'typed';
        report.codes[error.code] = (report.codes[error.code] ?? 0) + 1;
      } else {
        outcome = 'crash';
        report.crashes.push({ index, target, error: String((error as Error)?.stack ?? error).slice(0, 600) });
      }
    }
    const ms = performance.now() - t0;
    tally.ms += ms;
    if (ms > hangMs) {
      report.hangs.push({ index, target, ms: Math.round(ms) });
      outcome = 'hang';
    } else if (outcome === 'success') {
      report.success++;
      tally.success++;
    } else if (outcome === 'typed') {
      report.typed++;
      tally.typed++;
    }
    report.cases++;
    onCase?.(index, outcome);
  }
  report.ms = Math.round(performance.now() - began);
  for (const t of Object.values(report.byTarget)) t.ms = Math.round(t.ms);
  return report;
}
