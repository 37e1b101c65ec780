/**
 * Writes the demo data bundle (`data/demo/{en,vi}/`): SFT records, preference pairs, held-out pairs,
 * evaluation prompts and the recommended pipeline config of each variant. Deterministic: the same files on
 * every run (seeded sampling on backend-js).
 *
 * Usage (from the repository root): `pnpm exec tsc -b benchmarks && node benchmarks/dist/demo-data/generate-demo-data.js [en|vi]`
 * (both variants when none is named); `--config-only` rewrites only the `pipeline.json` files. The English variant samples ~300k tokens from stories260K (several
 * minutes on 2 cores); the Vietnamese one only reads XQuAD.
 */
import { createJsBackend } from '@rlhf/backend-js';
import { demoPipelineConfig } from './demo-config.js';
import { buildEnglishBundle, ENGLISH_PLAN } from './english-bundle.js';
import { writeJson } from './jsonl.js';
import { type DemoVariant, demoDir, repoPath } from './paths.js';
import { loadStories260K } from './stories-model.js';
import { buildVietnameseBundle, usableQuestions, VIETNAMESE_PLAN, vietnamesePrompt } from './vietnamese-bundle.js';
import { writeBundle } from './write-bundle.js';
import { readXquadQuestions } from './xquad-questions.js';

const XQUAD_VI = 'data/datasets/xquad-vi/xquad.vi.json';

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a): a is DemoVariant => a === 'en' || a === 'vi');
  const variants: DemoVariant[] = asked.length > 0 ? asked : ['en', 'vi'];
  if (process.argv.includes('--config-only')) {
    for (const variant of variants)
      writeJson(repoPath(`${demoDir(variant)}/pipeline.json`), demoPipelineConfig(variant));
    return;
  }
  const model = loadStories260K(createJsBackend());
  const started = performance.now();
  for (const variant of variants) {
    if (variant === 'en') {
      const bundle = await buildEnglishBundle(model, model.tokenizer, ENGLISH_PLAN, (line) => console.error(line));
      writeBundle('en', bundle);
      summary(
        'en',
        bundle.sft.length,
        bundle.preferences.length,
        bundle.preferencesVal.length,
        bundle.evalPrompts.length,
      );
    } else {
      const questions = readXquadQuestions(repoPath(XQUAD_VI));
      const bundle = buildVietnameseBundle(questions, model.tokenizer, VIETNAMESE_PLAN);
      writeBundle('vi', bundle);
      // Which XQuAD records were used, by SQuAD id (for the provenance).
      const usable = usableQuestions(questions, model.tokenizer, VIETNAMESE_PLAN);
      const idOf = new Map(usable.map((q) => [vietnamesePrompt(q.question), q.id]));
      const ids = (prompts: string[]): string[] => prompts.map((p) => idOf.get(p) as string);
      writeJson(repoPath(`${demoDir('vi')}/xquad_ids.json`), {
        source: `${XQUAD_VI} (google-deepmind/xquad, CC BY-SA 4.0)`,
        sft: ids(bundle.sft.map((r) => r.prompt)),
        preferences: ids(bundle.preferences.map((r) => r.prompt)),
        preferences_val: ids(bundle.preferencesVal.map((r) => r.prompt)),
        eval_prompts: ids(bundle.evalPrompts),
      });
      summary(
        'vi',
        bundle.sft.length,
        bundle.preferences.length,
        bundle.preferencesVal.length,
        bundle.evalPrompts.length,
      );
    }
    writeJson(repoPath(`${demoDir(variant)}/pipeline.json`), demoPipelineConfig(variant));
  }
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function summary(variant: DemoVariant, sft: number, pairs: number, val: number, prompts: number): void {
  console.log(
    `${variant}: ${sft} SFT records, ${pairs} preference pairs, ${val} held-out pairs, ${prompts} evaluation prompts`,
  );
}

await main();
