import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from './bundle-for-browser.js';
import { stories260KFolder } from './model-folder.js';
import { openInChromium } from './open-in-chromium.js';

// The example of docs/guides/browser.md (its one ```ts browser block), bundled with esbuild as the guide
// says and run in headless Chromium where the browser offers no WebGPU, so the example falls back to the JS
// backend. Its WebGPU branch ran here in 65 s on SwiftShader (see docs/decisions/browser-studio.md); the studio's test
// covers training on navigator.gpu in CI instead, to keep the browser tests' time down.
const guide = readFileSync(new URL('../../../docs/guides/browser.md', import.meta.url), 'utf8');
const blocks = [...guide.matchAll(/^```ts browser\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);

interface ExampleOutput {
  backend: string;
  losses: number[];
  trainingTokensPerSecond: number;
  files: string[];
  sameAfterReload: boolean;
  sample: string;
}

describe('the browser guide example', () => {
  it('is one block', () => {
    expect(blocks).toHaveLength(1);
  });

  it('runs in Chromium on the JS fallback', { timeout: 60_000 }, async () => {
    const js = await bundleForBrowser({ contents: blocks[0] as string });
    const chromium = await openInChromium({
      '/index.html': '<!doctype html><pre id="out"></pre><script type="module" src="/app.js"></script>',
      '/app.js': js,
      ...stories260KFolder('/models/stories260K/'),
    });
    try {
      const text = await chromium.page
        .waitForFunction(() => document.getElementById('out')?.textContent || null, null, { timeout: 50_000 })
        .then((h) => h.jsonValue())
        .catch((e: Error) => {
          throw new Error(`${e.message}\n${chromium.console.join('\n')}`);
        });
      const out = JSON.parse(text as string) as ExampleOutput;
      console.log(
        `[guide] ${out.backend}: ${out.trainingTokensPerSecond} tokens/s, losses ${out.losses.map((l) => l.toFixed(3)).join(' ')}`,
      );
      expect(out.backend).toBe('js');
      expect(out.losses).toHaveLength(4);
      expect(out.losses[0]).toBeCloseTo(Math.LN2, 4);
      expect(out.losses[3]).toBeLessThan((out.losses[0] as number) - 0.01);
      expect(out.files).toEqual([
        'config.json',
        'model.safetensors',
        'tokenizer.json',
        'tokenizer_config.json',
        'generation_config.json',
      ]);
      expect(out.sameAfterReload).toBe(true);
      expect(out.sample.length).toBeGreaterThan(10);
      expect(out.trainingTokensPerSecond).toBeGreaterThan(0);
      expect(await chromium.page.locator('a[download]').count()).toBe(out.files.length);
    } finally {
      await chromium.close();
    }
  });
});
