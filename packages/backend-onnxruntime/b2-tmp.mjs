import ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
const bytes = readFileSync(process.argv[2]);
const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'all', enableCpuMemArena: true, extra: { session: { intra_op: { allow_spinning: '0' } } } });
const feeds = {};
for (const m of s.inputMetadata) {
  const n = m.shape.reduce((a, b) => a * b, 1);
  feeds[m.name] = m.type === 'int32' ? new ort.Tensor('int32', new Int32Array(n).fill(1), m.shape) : new ort.Tensor('float32', new Float32Array(n).fill(0.01), m.shape);
}
console.log(s.inputNames.length, 'inputs', s.outputNames.length, 'outputs');
const blocks = [];
for (let b = 0; b < 15; b++) {
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) await s.run(feeds);
  blocks.push(((performance.now() - t0) / 200 * 1000).toFixed(0));
}
console.log('us/run per block of 200:', blocks.join(' '));
