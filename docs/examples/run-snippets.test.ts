import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { convertLlama2c } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { extractSnippets } from './extract-snippets.mjs';

// Every ```ts block of the guides runs as a module, in a scratch directory that holds what the guides
// assume: the stories260K model converted to a Hugging Face directory at models/stories260K (as
// `rlhf convert llama2c` writes it). Outputs (runs/...) land in the scratch directory.
const repo = process.cwd();
const snippets: string[] = extractSnippets();
let scratch = '';

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rlhf-docs-'));
  const model = 'data/models/stories260K';
  const content = convertLlama2c(
    readFileSync(join(repo, model, 'stories260K.bin')),
    readFileSync(join(repo, model, 'tok512.bin')),
  );
  mkdirSync(join(scratch, 'models'), { recursive: true });
  await writeHfDirectory(join(scratch, 'models/stories260K'), content);
  process.chdir(scratch);
});

afterAll(() => {
  process.chdir(repo);
  rmSync(scratch, { recursive: true, force: true });
});

describe('guide examples', () => {
  for (const file of snippets.filter((f) => !f.endsWith('.check.ts'))) {
    it(basename(file), async () => {
      await import(pathToFileURL(file).href);
    });
  }
});
