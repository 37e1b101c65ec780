#!/usr/bin/env node
// The model-file fuzzer, run at scale: `pnpm build`, then
//   node packages/cli/scripts/fuzz-model-files.mjs [--cases 100000] [--seed 12] [--batch 2000] [--jobs 2]
//     [--hang-ms 5000] [--kill-ms 30000] [--json FILE]
// Cases run in batches in child processes; a case slower than --hang-ms is a hang, and a child that
// reports no case for --kill-ms is killed (the case it was on is a hang) and the batch goes on after it.
// The mutations and targets are those of the CI sample (packages/cli/src/fuzz/fuzz-model-files.ts).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = new Map();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) {
    const next = process.argv[i + 1];
    if (next === undefined || next.startsWith('--')) args.set(a.slice(2), 'true');
    else args.set(a.slice(2), process.argv[++i]);
  }
}
const num = (k, d) => (args.has(k) ? Number(args.get(k)) : d);
const seed = num('seed', 12);
const hangMs = num('hang-ms', 5000);
const dataDir = fileURLToPath(new URL('../../../data/', import.meta.url));
const fuzzModule = new URL('../dist/fuzz/fuzz-model-files.js', import.meta.url).href;

if (args.has('child')) {
  const { runFuzz } = await import(fuzzModule);
  const report = await runFuzz({
    seed,
    start: num('start', 0),
    count: num('count', 1),
    dataDir,
    tmpDir: join(tmpdir(), `rlhf-fuzz-${process.pid}`),
    hangMs,
    onCase: (index, outcome) => process.stdout.write(`CASE ${index} ${outcome}\n`),
  });
  process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
  process.exit(0);
}

const total = num('cases', 100_000);
const batch = num('batch', 2000);
const jobs = num('jobs', 2);
const killMs = num('kill-ms', 30_000);
const queue = [];
for (let s = 0; s < total; s += batch) queue.push([s, Math.min(batch, total - s)]);
const sum = { cases: 0, success: 0, typed: 0, crashes: [], hangs: [], byTarget: {}, codes: {} };
const began = Date.now();

function merge(r) {
  sum.cases += r.cases;
  sum.success += r.success;
  sum.typed += r.typed;
  sum.crashes.push(...r.crashes);
  sum.hangs.push(...r.hangs);
  for (const [t, v] of Object.entries(r.byTarget)) {
    sum.byTarget[t] = sum.byTarget[t] ?? { success: 0, typed: 0, ms: 0 };
    const s = sum.byTarget[t];
    s.success += v.success;
    s.typed += v.typed;
    s.ms += v.ms;
  }
  for (const [c, n] of Object.entries(r.codes)) sum.codes[c] = (sum.codes[c] ?? 0) + n;
}

function runBatch([start, count]) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(import.meta.url),
        '--child',
        '--seed',
        seed,
        '--start',
        start,
        '--count',
        count,
        '--hang-ms',
        hangMs,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let last = start - 1;
    let buffer = '';
    let reported = false;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => child.kill('SIGKILL'), killMs);
    };
    arm();
    child.stdout.on('data', (d) => {
      buffer += d;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('CASE ')) {
          last = Number(line.split(' ')[1]);
          arm();
        } else if (line.startsWith('REPORT ')) {
          merge(JSON.parse(line.slice(7)));
          reported = true;
        }
        nl = buffer.indexOf('\n');
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!reported) {
        // Killed (a case that never returned) or died (a V8 abort, out of memory): that case is recorded,
        // the cases it had finished are re-run by nobody (their outcomes are lost with the child's report),
        // so the batch restarts after the failing case.
        const index = last + 1;
        const what = signal === 'SIGKILL' ? 'hangs' : 'crashes';
        sum[what].push({ index, target: 'unknown', error: `child ${signal ?? `exit ${code}`}` });
        sum.cases += index - start + 1;
        const rest = start + count - (index + 1);
        if (rest > 0) queue.unshift([index + 1, rest]);
      }
      resolve();
    });
  });
}

async function worker() {
  while (queue.length) {
    await runBatch(queue.shift());
    process.stderr.write(`\r${sum.cases} cases, ${sum.crashes.length} crashes, ${sum.hangs.length} hangs`);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
const result = { seed, ...sum, wallSeconds: Math.round((Date.now() - began) / 1000) };
process.stderr.write('\n');
console.log(
  JSON.stringify({ ...result, crashes: result.crashes.slice(0, 20), hangs: result.hangs.slice(0, 20) }, null, 1),
);
if (args.has('json')) writeFileSync(args.get('json'), JSON.stringify(result, null, 1));
process.exit(sum.crashes.length || sum.hangs.length ? 1 : 0);
