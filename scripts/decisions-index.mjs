#!/usr/bin/env node
// Writes docs/decisions/README.md, the index of the design decisions: one line per file of
// docs/decisions/ (its `# title`), grouped by area — the part of the file name before the topic
// (`<area>-<topic>.md`). `--check` writes nothing: it fails (exit 1) when the index is not what this
// script would write, or when a decision file lacks its title or one of its four sections (CI runs it).
// Usage: `node scripts/decisions-index.mjs [--check]`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(dirname(fileURLToPath(import.meta.url))), 'docs', 'decisions');
const indexFile = join(dir, 'README.md');
const SECTIONS = ['## Context', '## Decision', '## Alternatives', '## Status'];

/** Areas in index order, with their headings; an area not listed here follows them, titled by its name. */
const AREAS = [
  ['core', 'Core: tensors, autodiff, backend specification'],
  ['trainers', 'Trainers: the shared loop, options, checkpoints'],
  ['sft', 'SFT'],
  ['dpo', 'DPO'],
  ['dpo-losses', 'DPO losses'],
  ['kto', 'KTO'],
  ['orpo', 'ORPO, CPO and SimPO'],
  ['grpo', 'GRPO and RLOO'],
  ['reward', 'Reward model'],
  ['models', 'Models, LoRA and model files'],
  ['pipeline', 'Pipeline'],
  ['cli', 'Command line'],
  ['files', 'Files, folders and locks'],
  ['security', 'Untrusted inputs'],
  ['reliability', 'Reliability'],
  ['onnxruntime', 'ONNX Runtime backend'],
  ['webgpu', 'WebGPU backend'],
  ['tfjs', 'TensorFlow.js backend'],
  ['browser', 'Browser path and studio'],
  ['benchmarks', 'Benchmarks'],
  ['data', 'Bundled data'],
  ['tooling', 'Tooling and tests'],
  ['packaging', 'Packaging'],
  ['vi-demo', 'The Vietnamese demo'],
  ['docs', 'Documentation, the report, backend instances'],
];
/** Area names that contain a hyphen themselves (a file `vi-demo-model.md` is in area `vi-demo`). */
const MULTIWORD = ['vi-demo', 'dpo-losses'];

function areaOf(file) {
  const multi = MULTIWORD.find((a) => file.startsWith(`${a}-`));
  return multi ?? file.split('-')[0];
}

const problems = [];
const entries = readdirSync(dir)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort()
  .map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const title = /^# (.+)$/m.exec(text)?.[1]?.trim();
    if (!text.startsWith('# ') || !title) problems.push(`${file}: the first line must be "# <title>"`);
    let at = 0;
    for (const section of SECTIONS) {
      const found = text.indexOf(`\n${section}\n`, at);
      if (found < 0) problems.push(`${file}: "${section}" is missing or out of order`);
      else at = found;
    }
    return { file, title: title ?? file, area: areaOf(file) };
  });

const known = new Map(AREAS);
const areas = [...new Set(entries.map((e) => e.area))].sort((a, b) => {
  const ia = AREAS.findIndex(([k]) => k === a);
  const ib = AREAS.findIndex(([k]) => k === b);
  return (ia < 0 ? AREAS.length : ia) - (ib < 0 ? AREAS.length : ib) || a.localeCompare(b);
});
const lines = [
  '# Design decisions',
  '',
  'Why the code is the way it is: one file per decision, `<area>-<topic>.md`, each with its Context, the',
  'Decision, the Alternatives considered and its Status. When a decision is revised, its Status says so and',
  'links the newer one. This index is generated: add a file, then run `node scripts/decisions-index.mjs`',
  '(CI checks it with `--check`). Measured speeds are in [Backends](../backends.md#measured-speeds).',
];
for (const area of areas) {
  lines.push('', `## ${known.get(area) ?? area}`, '');
  for (const e of entries.filter((x) => x.area === area)) lines.push(`- [${e.title}](./${e.file})`);
}
const index = `${lines.join('\n')}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(indexFile, 'utf8');
  } catch {
    // missing: reported below
  }
  if (current !== index) problems.push('docs/decisions/README.md is out of date: run node scripts/decisions-index.mjs');
  if (problems.length > 0) {
    for (const p of problems) console.error(`decisions: ${p}`);
    process.exit(1);
  }
  console.log(`decisions: ${entries.length} files, index up to date`);
} else {
  writeFileSync(indexFile, index);
  for (const p of problems) console.error(`decisions: ${p}`);
  console.log(`decisions: wrote ${indexFile} (${entries.length} files)`);
  if (problems.length > 0) process.exit(1);
}
