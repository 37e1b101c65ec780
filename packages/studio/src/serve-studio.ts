import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const site = join(dirname(fileURLToPath(import.meta.url)), '..', 'site');
const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', json: 'application/json' };

/** Serves the built studio (`site/`) on 127.0.0.1 (default port 5173, or `PORT`). */
const port = Number(process.env.PORT ?? 5173);
if (!existsSync(join(site, 'index.html'))) {
  console.error('The studio is not built: run `pnpm studio` from the repository root.');
  process.exit(1);
}
createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(site, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!file.startsWith(site) || !existsSync(file)) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': types[file.split('.').pop() ?? ''] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}).listen(port, '127.0.0.1', () => console.log(`RLHF studio: http://localhost:${port}/`));
