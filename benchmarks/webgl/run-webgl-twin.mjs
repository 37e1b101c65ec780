// Times our Llama 3.43M step on backend-tfjs and its TensorFlow.js twin on tfjs's webgl backend in headless
// Chromium (Debian's /usr/bin/chromium): `node benchmarks/webgl/run-webgl-twin.mjs [warmup] [repeats]`.
// Without a GPU, Chromium's WebGL is SwiftShader (a CPU rasteriser): the figures then time the emulation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const [warmup, repeats] = [Number(process.argv[2] ?? 1), Number(process.argv[3] ?? 2)];
const bundle = await build({
  entryPoints: [join(here, 'twin-page.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  tsconfig: join(here, '../../tsconfig.tests.json'),
  define: { __STEPS__: JSON.stringify({ warmup, repeats }) },
  logLevel: 'error',
});
const dir = mkdtempSync(join(tmpdir(), 'rlhf-webgl-twin-'));
writeFileSync(join(dir, 'page.js'), bundle.outputFiles[0].text);
writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script src="page.js"></script>');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(pathToFileURL(join(dir, 'index.html')).href, { waitUntil: 'commit' });
  await page.waitForFunction(() => globalThis.__bench !== undefined, null, { timeout: 1_800_000, polling: 1000 });
  console.log(JSON.stringify(await page.evaluate(() => globalThis.__bench), null, 1));
} finally {
  await browser.close();
}
