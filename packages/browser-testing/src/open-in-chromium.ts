import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (its own browser download is not used). */
export const CHROMIUM = '/usr/bin/chromium';

/** A page served from memory on `http://localhost/` (a secure context: WebGPU and IndexedDB work). */
export interface ChromiumPage {
  browser: Browser;
  page: Page;
  /** What the page printed (console and uncaught errors), for failure messages. */
  console: string[];
  close(): Promise<void>;
}

/** Options of {@link openInChromium}. */
export interface OpenInChromiumOptions {
  /** Offer `navigator.gpu` (SwiftShader on a machine without a GPU). @defaultValue false */
  webgpu?: boolean;
  /** Viewport size. @defaultValue 1280 × 800 */
  viewport?: { width: number; height: number };
}

/**
 * Launches headless Chromium and serves `files` (path → body; `/` is `index.html`) at
 * `http://localhost/`, then opens `path`. Every other URL answers 404. Close it in a `finally`.
 *
 * @example
 * ```ts
 * const { page, close } = await openInChromium({ '/index.html': html, '/app.js': js });
 * try { await page.waitForFunction(() => document.title === 'done'); } finally { await close(); }
 * ```
 */
export async function openInChromium(
  files: Record<string, string | Uint8Array>,
  { webgpu = false, viewport = { width: 1280, height: 800 } }: OpenInChromiumOptions = {},
  path = '/',
): Promise<ChromiumPage> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh --browser)`);
  }
  const args = ['--no-sandbox', '--disable-gpu-sandbox'];
  if (webgpu) args.push('--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader');
  else args.push('--disable-gpu');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  await page.route('http://localhost/**', (route) => {
    let name = new URL(route.request().url()).pathname;
    if (name.endsWith('/')) name += 'index.html';
    const body = files[name];
    if (body === undefined) return route.fulfill({ status: 404, body: 'not found' });
    const type = name.endsWith('.html')
      ? 'text/html'
      : name.endsWith('.js')
        ? 'text/javascript'
        : name.endsWith('.json')
          ? 'application/json'
          : 'application/octet-stream';
    return route.fulfill({ contentType: type, body: typeof body === 'string' ? body : Buffer.from(body) });
  });
  await page.goto(`http://localhost${path}`);
  return { browser, page, console, close: () => browser.close() };
}
