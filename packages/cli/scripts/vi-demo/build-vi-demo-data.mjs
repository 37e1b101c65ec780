#!/usr/bin/env node
// Writes the Vietnamese demo's data (data/demo/vi/): sft.jsonl, preferences.jsonl,
// preferences_val.jsonl, eval_prompts.json and xquad_ids.json, from XQuAD-vi, with the token limits
// measured by the demo model's tokenizer, and the demo's pipeline.json. Deterministic. From the repository root, after `pnpm build`
// and the model (pretrain-vi-llama.mjs):
//   node packages/cli/scripts/vi-demo/build-vi-demo-data.mjs [--model data/models/vi-llama-3m] [--out data/demo/vi]
import { readFileSync, writeFileSync } from 'node:fs';
import { loadTokenizer } from '@rlhf/models/node';
import { xquadParagraphs } from '../../dist/vi-demo/vi-corpus.js';
import { buildViDemoBundle, usableQuestions, VI_DEMO_PLAN } from '../../dist/vi-demo/vi-demo-bundle.js';
import { viDemoPipelineConfig } from '../../dist/vi-demo/vi-demo-config.js';

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const modelDir = args.get('model') ?? 'data/models/vi-llama-3m';
const out = args.get('out') ?? 'data/demo/vi';
const XQUAD_VI = 'data/datasets/xquad-vi/xquad.vi.json';

const tokenizer = await loadTokenizer(modelDir);
const paragraphs = xquadParagraphs(JSON.parse(readFileSync(XQUAD_VI, 'utf8')));
const questions = usableQuestions(paragraphs, tokenizer, VI_DEMO_PLAN);
const bundle = buildViDemoBundle(questions, VI_DEMO_PLAN);
const jsonl = (records) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(`${out}/sft.jsonl`, jsonl(bundle.sft));
writeFileSync(`${out}/preferences.jsonl`, jsonl(bundle.preferences));
writeFileSync(`${out}/preferences_val.jsonl`, jsonl(bundle.preferencesVal));
writeFileSync(`${out}/eval_prompts.json`, json(bundle.evalPrompts));
writeFileSync(
  `${out}/xquad_ids.json`,
  json({ source: `${XQUAD_VI} (google-deepmind/xquad, CC BY-SA 4.0)`, ...bundle.ids }),
);
writeFileSync(`${out}/pipeline.json`, json(viDemoPipelineConfig(out)));
console.log(
  `${questions.length} usable questions (${questions.filter((q) => q.heldOut).length} held out): ` +
    `${bundle.sft.length} SFT records (${bundle.sft.filter((r) => r.completion.startsWith(' Dạ,')).length} polite), ` +
    `${bundle.preferences.length} pairs, ${bundle.preferencesVal.length} held-out pairs, ${bundle.evalPrompts.length} evaluation prompts → ${out}`,
);
