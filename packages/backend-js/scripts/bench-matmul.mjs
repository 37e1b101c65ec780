// Single-thread matmul throughput of the JS backend on n×n×n float32 products, all four transpose flags.
// Build first, then run from the repository root:
//   pnpm exec tsc -b packages/backend-js && node packages/backend-js/scripts/bench-matmul.mjs [n]
import { createJsBackend } from '../dist/index.js';

const n = Number(process.argv[2] ?? 1024);
const backend = createJsBackend();
const random = () => Float32Array.from({ length: n * n }, () => Math.random() * 2 - 1);
const a = backend.write(random(), [n, n], 'float32');
const b = backend.write(random(), [n, n], 'float32');

for (const [transposeA, transposeB] of [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
]) {
  backend.dispose(backend.matmul(a, b, transposeA, transposeB)); // warm-up (JIT)
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    backend.dispose(backend.matmul(a, b, transposeA, transposeB));
    best = Math.min(best, performance.now() - t0);
  }
  const gflops = (2 * n ** 3) / (best / 1000) / 1e9;
  console.log(
    `${n}³ transposeA=${transposeA} transposeB=${transposeB}: ${gflops.toFixed(2)} GFLOP/s (${best.toFixed(0)} ms)`,
  );
}
