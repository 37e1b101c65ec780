/**
 * Writes the English demo data bundle (`data/demo/en/`): SFT records, preference pairs, held-out pairs,
 * evaluation prompts and the recommended pipeline config. Deterministic: the same files on
 * every run (seeded sampling on backend-js).
 *
 * Usage (from the repository root): `pnpm exec tsc -b benchmarks && node benchmarks/dist/demo-data/generate-demo-data.js [en]`;
 * `--config-only` rewrites only the `pipeline.json` file. It samples ~300k tokens from stories260K (several
 * minutes on 2 cores). The Vietnamese bundle (`data/demo/vi/`, its own model) is written by
 * `packages/cli/scripts/vi-demo/build-vi-demo-data.mjs`.
 */
import { createJsBackend } from '@rlhf/backend-js';
import { demoPipelineConfig } from './demo-config.js';
import { buildEnglishBundle, ENGLISH_PLAN } from './english-bundle.js';
import { writeJson } from './jsonl.js';
import { type DemoVariant, demoDir, repoPath } from './paths.js';
import { loadStories260K } from './stories-model.js';
import { writeBundle } from './write-bundle.js';

async function main(): Promise<void> {
  // Only the English bundle is written here; the Vietnamese one (its own model) by
  // packages/cli/scripts/vi-demo/build-vi-demo-data.mjs.
  if (process.argv.slice(2).includes('vi'))
    throw new Error('data/demo/vi is written by packages/cli/scripts/vi-demo/build-vi-demo-data.mjs');
  const variants: DemoVariant[] = ['en'];
  if (process.argv.includes('--config-only')) {
    for (const variant of variants)
      writeJson(repoPath(`${demoDir(variant)}/pipeline.json`), demoPipelineConfig(variant));
    return;
  }
  const model = loadStories260K(createJsBackend());
  const started = performance.now();
  const bundle = await buildEnglishBundle(model, model.tokenizer, ENGLISH_PLAN, (line) => console.error(line));
  writeBundle('en', bundle);
  summary('en', bundle.sft.length, bundle.preferences.length, bundle.preferencesVal.length, bundle.evalPrompts.length);
  writeJson(repoPath(`${demoDir('en')}/pipeline.json`), demoPipelineConfig('en'));
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function summary(variant: DemoVariant, sft: number, pairs: number, val: number, prompts: number): void {
  console.log(
    `${variant}: ${sft} SFT records, ${pairs} preference pairs, ${val} held-out pairs, ${prompts} evaluation prompts`,
  );
}

await main();
