import { describe, expect, it } from 'vitest';
import { bundleForBrowser, GUARDED_THIRD_PARTY_IMPORTERS, NodeBuiltinInBrowserError } from './bundle-for-browser.js';
import { openInChromium } from './open-in-chromium.js';

// The supported browser path: each browser-safe package bundled as an application would (its `browser`
// export condition, from its built dist), with no Node built-in anywhere on the way.
const BROWSER_SAFE = [
  'core',
  'backend-js',
  'backend-webgpu',
  'backend-tfjs',
  'models',
  'sft',
  'preference-data',
  'dpo',
  'grpo',
  'reward',
  'pipeline',
];

describe('the browser path', () => {
  for (const name of BROWSER_SAFE) {
    it(`@rlhf/${name} bundles for browsers without Node built-ins`, async () => {
      const js = await bundleForBrowser({ contents: `export * from '@rlhf/${name}';` });
      expect(js.length).toBeGreaterThan(10_000);
      expect(js).not.toMatch(/from\s*["']node:/);
    });
  }

  it('a Node-only entry is refused, naming the built-in and its importer', async () => {
    const error = await bundleForBrowser({ contents: "export * from '@rlhf/models/node';" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeBuiltinInBrowserError);
    expect((error as NodeBuiltinInBrowserError).found.join('\n')).toMatch(
      /node:fs\/promises <- .*models\/dist\/node\//,
    );
  });

  it('the third-party allow-list never covers our own files: naming them still refuses node:fs', async () => {
    // Even with the importer's path on the list, a file outside node_modules/ (ours) is checked strictly.
    const error = await bundleForBrowser(
      { contents: "export * from '@rlhf/models/node';" },
      { guardedImporters: [...GUARDED_THIRD_PARTY_IMPORTERS, 'models/dist/node/', 'dist/node/'] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeBuiltinInBrowserError);
    expect((error as NodeBuiltinInBrowserError).found.join('\n')).toMatch(
      /node:fs\/promises <- .*models\/dist\/node\//,
    );
  });

  it('without the allow-list, tfjs-core and seedrandom are refused for util and crypto', async () => {
    const error = await bundleForBrowser(
      { contents: "export * from '@rlhf/backend-tfjs';" },
      { guardedImporters: [] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeBuiltinInBrowserError);
    const found = [...(error as NodeBuiltinInBrowserError).found].sort().join('\n');
    expect(found).toMatch(
      /^crypto <- .*node_modules\/seedrandom\/.*\nutil <- .*tfjs-core\/dist\/platforms\/platform_node\.js$/,
    );
  });

  it('in a page, imported backends resolve by name and errors name only those', { timeout: 60_000 }, async () => {
    const js = await bundleForBrowser({
      contents: `
        import { resolveBackend, backendNames } from '@rlhf/core';
        import '@rlhf/backend-js';
        const out = { names: backendNames() };
        const js = await resolveBackend('js');
        out.js = js.name;
        out.same = js === (await resolveBackend('js'));
        out.fastest = (await resolveBackend()).name;
        for (const n of ['onnxruntime', 'no-such-backend']) {
          try { await resolveBackend(n); } catch (e) { out[n] = e.code + ': ' + e.message; }
        }
        globalThis.__result = out;
      `,
    });
    const chromium = await openInChromium({
      '/index.html': '<!doctype html><script type="module" src="/app.js"></script>',
      '/app.js': js,
    });
    try {
      await chromium.page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, null, {
        timeout: 30_000,
      });
      const out = await chromium.page.evaluate(() => (globalThis as { __result?: Record<string, unknown> }).__result);
      expect(out, chromium.console.join('\n')).toEqual({
        names: ['js'],
        js: 'js',
        same: true,
        fastest: 'js',
        onnxruntime:
          'UNKNOWN_BACKEND: Backend "onnxruntime" is not in this bundle (import @rlhf/backend-onnxruntime: it registers itself); expected one of: js.',
        'no-such-backend': 'UNKNOWN_BACKEND: Backend "no-such-backend" is not a known backend; expected one of: js.',
      });
    } finally {
      await chromium.close();
    }
  });
});
