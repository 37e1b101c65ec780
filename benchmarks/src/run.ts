import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_PACKAGES } from './backends.js';
import { formatTable, runBenchmarks, writeReport } from './harness.js';
import { BENCHMARKS } from './suites/index.js';

const DEFAULT_OUT = fileURLToPath(new URL('../../bench-results/latest.json', import.meta.url));

const USAGE = `Usage: pnpm bench [options]   (or: node benchmarks/dist/run.js [options])

Runs every registered benchmark on every installed backend, prints a table and writes JSON.

Options:
  --filter NAME    only benchmarks whose name contains NAME (repeatable or comma-separated)
  --backend NAME   only this backend (repeatable or comma-separated)
  --quick          tiny sizes, one run each (checks that everything works; not a measurement)
  --repeats N      measured runs per benchmark (default: per benchmark)
  --rounds N       rounds of each benchmark compared with PyTorch, alternating ours and PyTorch (default 2; 4 for llama-train-step)
  --out PATH       JSON output (default: bench-results/latest.json)
  --no-pytorch     skip the PyTorch comparison (it runs when /usr/bin/python3 imports torch)
  --help           this text

Benchmarks:
${BENCHMARKS.map((b) => `  ${b.name.padEnd(18)} ${b.description}`).join('\n')}
Backends tried: ${BACKEND_PACKAGES.map((b) => `${b.name} (${b.packageName})`).join(', ')}`;

async function main(): Promise<number> {
  // `pnpm bench -- --quick` passes the `--` through; drop it.
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({
    args,
    options: {
      filter: { type: 'string', multiple: true },
      backend: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      repeats: { type: 'string' },
      rounds: { type: 'string' },
      out: { type: 'string' },
      'no-pytorch': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const list = (v: string[] | undefined) => (v ?? []).flatMap((s) => s.split(',')).filter((s) => s !== '');
  const repeats = values.repeats === undefined ? undefined : Number(values.repeats);
  if (repeats !== undefined && !(Number.isInteger(repeats) && repeats > 0)) {
    throw new Error(`--repeats must be a positive integer (got ${values.repeats})`);
  }
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) {
    throw new Error(`--rounds must be a positive integer (got ${values.rounds})`);
  }
  const backends = list(values.backend);
  const report = await runBenchmarks({
    filters: list(values.filter),
    backends,
    quick: values.quick,
    ...(values['no-pytorch'] ? { pytorch: false } : {}),
    ...(repeats === undefined ? {} : { repeats }),
    ...(rounds === undefined ? {} : { rounds }),
  });
  const out = values.out ?? DEFAULT_OUT;
  writeReport(report, out);
  console.log(`\n${formatTable(report)}\n`);
  console.log(`JSON: ${out}`);
  if (report.backends.loaded.length === 0) {
    console.error('No backend could be loaded.');
    return 1;
  }
  // A backend asked for by name must load; one merely tried may be absent.
  const missing = report.backends.skipped.filter((s) => backends.includes(s.name) || s.kind === 'error');
  return report.failures.length > 0 || missing.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
