#!/usr/bin/env node
// The pack-and-install test: what a user gets from npm. Packs every public package with `pnpm pack` (as
// `pnpm publish -r` would: `workspace:*` becomes the version), checks each tarball (metadata, LICENSE,
// README, no `workspace:` range, every source map's sources inside, no tests), installs the tarballs that a
// small SFT application and the CLI need into an empty project with npm (third-party packages from the npm
// registry only; ONNXRUNTIME_NODE_INSTALL=skip; the CLI's optional backends not installed), then runs an ESM
// script there: stories260K (the repository's data/models/stories260K) on @rlhf/backend-js, its published
// greedy tokens, two SFT steps, 10 generated tokens; and the installed `rlhf` CLI on the js backend.
//
// Run after `pnpm build`, from anywhere: `node scripts/pack-and-install.mjs` (--keep keeps the temp folder).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STORIES = join(ROOT, 'data/models/stories260K');
/** What the smoke application imports, and the CLI; their @rlhf dependencies are added below. */
const INSTALL = ['@rlhf/core', '@rlhf/models', '@rlhf/backend-js', '@rlhf/sft', '@rlhf/cli'];
/** Must not be installed: the CLI's optional backends and their native or large dependencies. */
const ABSENT = [
  '@rlhf/backend-onnxruntime',
  '@rlhf/backend-tfjs',
  '@rlhf/backend-webgpu',
  'onnxruntime-node',
  'webgpu',
];

// Written into the empty project and run there: only the installed packages resolve.
const SMOKE = `import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createJsBackend } from '@rlhf/backend-js';
import { convertLlama2c, generateText, modelFromContent } from '@rlhf/models';
import { SFTTrainer } from '@rlhf/sft';

const dir = process.argv[2];
const content = convertLlama2c(readFileSync(dir + '/stories260K.bin'), readFileSync(dir + '/tok512.bin'));
const model = modelFromContent(content, createJsBackend());

// Before training: stories260K's published greedy continuation of BOS (llama2.c's run.c).
const published = readFileSync(dir + '/greedy_200_tokens.txt', 'utf8').trim().split(/\\s+/).map(Number);
const [before] = await generateText(model, [''], { maxNewTokens: 10, temperature: 0 });
assert.deepEqual(before.generated_ids, published.slice(0, 10));

const trainer = new SFTTrainer({ so_vong: 1, kich_thuoc_batch: 2, gradient_accumulation: 1, toc_do_hoc: 1e-3 });
const result = await trainer.huan_luyen(model, [
  { prompt: 'Once upon a time, there was a little dog.', completion: ' The dog liked to run in the park.' },
  { prompt: 'Lily went to the park.', completion: ' She saw a big red ball and played with it.' },
  { text: 'Tom had a toy car. He played with it every day.' },
  { text: 'The sun was warm and the birds sang in the tree.' },
]);
assert.equal(result.global_step, 2);
assert.ok(Number.isFinite(result.train_loss_min) && result.train_loss_min > 0, 'a finite training loss');

const [after] = await generateText(model, ['Once upon a time'], { maxNewTokens: 10, temperature: 0 });
assert.equal(after.generated_ids.length, 10);
assert.ok(after.generated_ids.every((id) => Number.isInteger(id) && id >= 0 && id < 512));
assert.ok(after.text.length > 0);
console.log('smoke: published greedy tokens match; 2 SFT steps (loss ' + result.train_loss_min.toFixed(3) + '); generated: ' + JSON.stringify(after.text));
`;

const started = Date.now();
const seconds = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const problems = [];
const fail = (message) => problems.push(message);
function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

const work = mkdtempSync(join(tmpdir(), 'rlhf-pack-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
try {
  // ---- Pack every public package --------------------------------------------------------------------
  let t = Date.now();
  const packages = readdirSync(join(ROOT, 'packages'))
    .map((dir) => ({ dir, path: join(ROOT, 'packages', dir) }))
    .filter(({ path }) => existsSync(join(path, 'package.json')))
    .map((p) => ({ ...p, manifest: JSON.parse(readFileSync(join(p.path, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true);
  const packed = new Map(); // name -> { dir, tarball, manifest (as packed) }
  for (const p of packages) {
    if (!existsSync(join(p.path, 'dist'))) throw new Error(`${p.manifest.name}: no dist/ — run pnpm build first.`);
    const before = new Set(readdirSync(tarballs));
    run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: p.path });
    const file = readdirSync(tarballs).find((f) => !before.has(f));
    if (!file) throw new Error(`${p.manifest.name}: pnpm pack wrote no tarball.`);
    const unpacked = join(work, 'unpacked', p.dir);
    mkdirSync(unpacked, { recursive: true });
    run('tar', ['-xzf', join(tarballs, file), '-C', unpacked]);
    const root = join(unpacked, 'package');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    packed.set(manifest.name, { dir: p.dir, tarball: join(tarballs, file), manifest });
    checkTarball(p.dir, root, manifest);
  }
  console.log(`packed and checked ${packed.size} public packages in ${seconds(t)}`);
  if (problems.length > 0) throw new Error(`the tarballs are not publishable:\n- ${problems.join('\n- ')}`);

  // ---- Install what the smoke application needs into an empty project -------------------------------
  t = Date.now();
  const wanted = new Set();
  const add = (name) => {
    if (wanted.has(name)) return;
    const p = packed.get(name);
    if (!p) throw new Error(`${name} is not a public package of this repository.`);
    wanted.add(name);
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) if (dep.startsWith('@rlhf/')) add(dep);
  };
  for (const name of INSTALL) add(name);
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'smoke', private: true, type: 'module' })}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', ...[...wanted].map((n) => packed.get(n).tarball)], {
    cwd: app,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const installed = readdirSync(join(app, 'node_modules/@rlhf')).map((d) => `@rlhf/${d}`);
  if (installed.sort().join() !== [...wanted].sort().join())
    throw new Error(`installed ${installed.join(', ')}; expected exactly ${[...wanted].join(', ')}`);
  for (const name of installed) {
    const version = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version;
    if (version !== packed.get(name).manifest.version) throw new Error(`${name}@${version} is not the packed one`);
  }
  for (const name of ABSENT)
    if (existsSync(join(app, 'node_modules', name))) throw new Error(`${name} was installed; it must stay optional`);
  console.log(`npm installed ${wanted.size} tarballs (${[...wanted].join(', ')}) in ${seconds(t)}`);

  // ---- The smoke application: load, two SFT steps, generate -----------------------------------------
  t = Date.now();
  writeFileSync(join(app, 'smoke.mjs'), SMOKE);
  const smoke = run(process.execPath, ['smoke.mjs', STORIES], { cwd: app });
  process.stdout.write(smoke);
  console.log(`smoke application ran in ${seconds(t)}`);

  // ---- The installed CLI, without its optional backends ---------------------------------------------
  t = Date.now();
  const rlhf = join(app, 'node_modules/.bin/rlhf');
  const model = join(app, 'stories260K');
  run(
    rlhf,
    [
      'convert',
      'llama2c',
      '--model',
      join(STORIES, 'stories260K.bin'),
      '--tokenizer',
      join(STORIES, 'tok512.bin'),
      '--out',
      model,
    ],
    { cwd: app },
  );
  const gen = spawnCapture(
    rlhf,
    ['generate', '--model', model, '--max-new-tokens', '5', '--temperature', '0', '--json'],
    app,
  );
  const last = JSON.parse(gen.stdout.trim().split('\n').pop());
  const expected = readFileSync(join(STORIES, 'greedy_200_tokens.txt'), 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number)
    .slice(0, 5);
  if (JSON.stringify(last.generated_ids) !== JSON.stringify(expected))
    throw new Error(`rlhf generate gave ${JSON.stringify(last.generated_ids)}; expected ${JSON.stringify(expected)}`);
  if (!/^rlhf: using backend js, the fastest installed; .*npm install @rlhf\/backend-onnxruntime/m.test(gen.stderr))
    throw new Error(`rlhf generate did not say it used js and how to add onnxruntime:\n${gen.stderr}`);
  console.log(`installed CLI: generate on js, said so (${gen.stderr.trim().split('\n')[0]}) in ${seconds(t)}`);
  console.log(`pack-and-install: OK in ${seconds(started)}`);
} finally {
  if (process.argv.includes('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

/** Runs a command and returns its stdout and stderr; a non-zero exit throws with both. */
function spawnCapture(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** What a published tarball must hold; problems are collected with the package's folder name. */
function checkTarball(dir, root, m) {
  const where = `packages/${dir}`;
  const text = JSON.stringify(m);
  if (text.includes('workspace:')) fail(`${where}: package.json still has a workspace: range`);
  if (m.license !== 'MIT') fail(`${where}: license is ${m.license}, expected MIT`);
  for (const key of ['description', 'homepage'])
    if (typeof m[key] !== 'string' || m[key] === '') fail(`${where}: package.json needs "${key}"`);
  if (m.repository?.directory !== where) fail(`${where}: repository.directory should be "${where}"`);
  if (!Array.isArray(m.keywords) || m.keywords.length === 0) fail(`${where}: package.json needs "keywords"`);
  if (typeof m.engines?.node !== 'string') fail(`${where}: package.json needs "engines": { "node": … }`);
  if (m.sideEffects === undefined) fail(`${where}: package.json needs "sideEffects"`);
  if (!Array.isArray(m.files)) fail(`${where}: package.json needs "files"`);
  const license = join(root, 'LICENSE');
  if (!existsSync(license) || !readFileSync(license, 'utf8').startsWith('MIT License'))
    fail(`${where}: the tarball has no MIT LICENSE`);
  if (!existsSync(join(root, 'README.md'))) fail(`${where}: the tarball has no README.md`);
  for (const file of walk(root)) {
    const rel = relative(root, file);
    if (/\.test\.[cm]?[jt]s$|(^|\/)__fixtures__\//.test(rel)) fail(`${where}: ships a test file ${rel}`);
    if (!rel.endsWith('.map')) continue;
    const map = JSON.parse(readFileSync(file, 'utf8'));
    for (const source of map.sources ?? []) {
      const target = resolve(dirname(file), map.sourceRoot ?? '', source);
      if (!existsSync(target)) fail(`${where}: ${rel} points to ${relative(root, target)}, which is not shipped`);
    }
  }
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
