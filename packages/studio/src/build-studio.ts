import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, stories260KFolder } from '@rlhf/browser-testing';
import { STUDIO_HTML } from './studio-html.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The studio's TypeScript sources for the page and the worker (beside this file in src/, or from dist/). */
const appDir = join(here, '..', 'src', 'app');

/**
 * Builds the studio as static files, path → contents: `index.html`, `app.js` (the page, with the worker's
 * bundle inside it, started from a Blob URL) and the stories260K model under `models/stories260K/`.
 *
 * @example
 * ```ts
 * const files = await buildStudio();
 * ```
 */
export async function buildStudio(): Promise<Record<string, string | Uint8Array>> {
  const worker = await bundleForBrowser({ file: join(appDir, 'studio-worker.ts') }, { minify: true });
  const page = await bundleForBrowser(
    { file: join(appDir, 'studio-page.ts') },
    { minify: true, define: { STUDIO_WORKER_SOURCE: JSON.stringify(worker) } },
  );
  return {
    '/index.html': STUDIO_HTML,
    '/app.js': page,
    ...stories260KFolder('/models/stories260K/'),
  };
}

/** Writes the built studio into `dir`. */
export async function writeStudio(dir: string): Promise<string[]> {
  const files = await buildStudio();
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return Object.keys(files);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(here, '..', 'site');
  const written = await writeStudio(dir);
  console.log(`studio: ${written.length} files in ${dir}`);
}
