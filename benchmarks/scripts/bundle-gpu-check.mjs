// Bundles benchmarks/src/gpu-check.ts into one ES module, benchmarks/gpu-check/gpu-check.mjs, and copies
// Dawn's native binding (npm `webgpu`'s dawn.node for this platform, ~22 MB) to the path the bundled
// loader looks for beside it (dist/<platform>-<arch>/dawn.node). The folder runs with plain Node 20:
// `node benchmarks/gpu-check/gpu-check.mjs`. onnxruntime and other packages are not bundled (unused).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, '..', 'gpu-check');
const platform = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;

// Workspace packages from their TypeScript sources (as the tests import them).
const alias = {};
for (const name of ['core', 'backend-js', 'backend-webgpu', 'models', 'sft', 'dpo', 'reward']) {
  alias[`@rlhf/${name}`] = join(root, 'packages', name, 'src', 'index.ts');
}
alias['@rlhf/backend-webgpu/node'] = join(root, 'packages', 'backend-webgpu', 'src', 'node.ts');

mkdirSync(join(out, 'dist', platform), { recursive: true });
await build({
  entryPoints: [join(here, '..', 'src', 'gpu-check.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: join(out, 'gpu-check.mjs'),
  alias,
  nodePaths: [
    join(root, 'packages', 'backend-webgpu', 'node_modules'),
    join(root, 'packages', 'models', 'node_modules'),
  ],
  banner: {
    js: "import { createRequire as __rlhfCreateRequire } from 'node:module'; const require = __rlhfCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const requireFromWebgpu = createRequire(join(root, 'packages', 'backend-webgpu', 'package.json'));
const webgpuDir = dirname(requireFromWebgpu.resolve('webgpu/package.json'));
copyFileSync(join(webgpuDir, 'dist', platform, 'dawn.node'), join(out, 'dist', platform, 'dawn.node'));
console.log(`wrote ${join(out, 'gpu-check.mjs')} and dist/${platform}/dawn.node`);
