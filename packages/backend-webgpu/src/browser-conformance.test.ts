import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

// The conformance suite in headless Chromium's navigator.gpu (SwiftShader on a machine without a GPU):
// the page script is bundled with esbuild (vitest mapped to a small shim, Dawn's Node entry to a stub),
// served from a routed localhost origin (WebGPU needs a secure context) and driven by playwright-core.

const CHROMIUM = '/usr/bin/chromium';
const packages = fileURLToPath(new URL('../../', import.meta.url));

async function bundle(): Promise<string> {
  const alias: Record<string, string> = { vitest: `${packages}backend-webgpu/src/browser/vitest-shim.ts` };
  for (const dir of readdirSync(packages)) {
    alias[`@rlhf/${dir}/testing`] = `${packages}${dir}/src/testing/index.ts`;
    alias[`@rlhf/${dir}`] = `${packages}${dir}/src/index.ts`;
  }
  const result = await build({
    entryPoints: [`${packages}backend-webgpu/src/browser/conformance-page.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    alias,
    logLevel: 'silent',
    plugins: [
      {
        name: 'no-dawn-in-browsers',
        setup(b) {
          b.onResolve({ filter: /^\.\/node\.js$/ }, () => ({ path: 'dawn-stub', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents:
              'export async function requestDawnAdapter() { return { adapter: null, tried: ["Dawn: not in a browser"] }; }',
          }));
        },
      },
    ],
  });
  return (result.outputFiles[0] as { text: string }).text;
}

interface PageState {
  done: boolean;
  results: { name: string; ok: boolean; error?: string; ms: number }[];
  adapter?: string;
  error?: string;
}

describe('conformance in headless Chromium (navigator.gpu)', () => {
  it('the whole conformance suite passes on the page', { timeout: 240_000 }, async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh --browser)`).toBe(
      true,
    );
    const script = await bundle();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-gpu-sandbox'],
    });
    try {
      const page = await browser.newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
      await page.route('http://localhost/**', (route) => {
        const url = route.request().url();
        if (url.endsWith('/suite.js')) return route.fulfill({ contentType: 'text/javascript', body: script });
        return route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><html><body><script type="module" src="/suite.js"></script></body></html>',
        });
      });
      await page.goto('http://localhost/');
      await page.waitForFunction(
        () => (globalThis as { __conformance?: PageState }).__conformance?.done === true,
        null,
        {
          timeout: 230_000,
          polling: 500,
        },
      );
      const state = (await page.evaluate(
        () => (globalThis as { __conformance?: PageState }).__conformance,
      )) as PageState;
      const failed = state.results.filter((r) => !r.ok);
      const seconds = state.results.reduce((s, r) => s + r.ms, 0) / 1000;
      globalThis.console.log(
        `[chromium] adapter ${state.adapter}: ${state.results.length - failed.length}/${state.results.length} passed in ${seconds.toFixed(1)} s`,
      );
      expect(state.error, console.join('\n')).toBeUndefined();
      expect(failed.map((r) => `${r.name}: ${r.error}`)).toEqual([]);
      // the suite registers the same tests as in Node (317 with spec v1)
      expect(state.results.length).toBeGreaterThan(300);
    } finally {
      await browser.close();
    }
  });
});
