import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from './html-report.js';
import { escapeHtml, renderLineChart } from './svg-chart.js';

/** The control characters of a text other than tab and newline (none may reach the page). */
function controlCharacters(text: string): string[] {
  return [...text].filter((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
  });
}

const CHROMIUM = '/usr/bin/chromium';

const content = {
  title: 'RLHF pipeline report',
  subtitle: 'test run',
  lang: 'en',
  samplesLang: 'vi',
  description: 'A happy ending over a sad one.',
  warnings: ["Possible overfitting: the reward model's training loss reached 0.0004 (≈ 0)."],
  summary: [['DPO win rate', '75%']] as [string, string][],
  sections: [
    {
      title: 'DPO',
      charts: [
        {
          title: 'DPO: loss',
          xLabel: 'step',
          yLabel: 'loss',
          series: [
            {
              name: 'train',
              points: Array.from({ length: 20 }, (_, i) => [i + 1, 0.69 - i * 0.02] as [number, number]),
            },
          ],
        },
        {
          title: 'DPO: reward margin',
          xLabel: 'step',
          yLabel: 'margin',
          series: [
            {
              name: 'reward_margin',
              points: Array.from({ length: 20 }, (_, i) => [i + 1, i * 0.05] as [number, number]),
            },
          ],
        },
        {
          title: 'DPO: accuracy',
          xLabel: 'step',
          yLabel: 'accuracy',
          yRange: [0, 1] as [number, number],
          series: [
            {
              name: 'reward_accuracy',
              points: Array.from({ length: 20 }, (_, i) => [i + 1, 0.5 + i * 0.025] as [number, number]),
            },
            {
              name: 'val_reward_accuracy',
              points: [
                [0, 0.5],
                [20, 0.7],
              ] as [number, number][],
            },
          ],
        },
      ],
    },
  ],
  tables: [
    {
      title: 'Evaluation',
      columns: ['policy', 'mean reward'],
      rows: [
        ['SFT', -0.25],
        ['DPO', 0.5],
      ],
    },
  ],
  samples: [
    {
      prompt: 'Once upon a time <b>',
      before: ' she was sad.\u0007',
      after: ' she was happy and',
      scoreBefore: -1,
      scoreAfter: 1,
      afterCut: true,
    },
  ],
};

describe('HTML report', () => {
  it('escapes text and marks each drawn series with its point count', () => {
    const html = renderHtmlReport(content);
    expect(html).toContain('Once upon a time &lt;b&gt;');
    expect(html).not.toContain('<b>\n');
    expect(html.match(/<polyline class="series"[^>]*data-points="20"/g)).toHaveLength(3);
    expect(renderLineChart({ title: 'empty', xLabel: 'x', yLabel: 'y', series: [] })).toContain('No data recorded.');
  });

  it('shows control characters as visible symbols and keeps tabs and newlines', () => {
    expect(escapeHtml('a\u0000b\u0007c\rd\u001be\u007ff\u0085g\th\ni<&>')).toBe(
      'a\u2400b\u2407c\u240dd\u241be\u2421f\\u0085g\th\ni&lt;&amp;&gt;',
    );
    const html = renderHtmlReport(content);
    expect(controlCharacters(html)).toEqual([]);
    expect(html).toContain(' she was sad.\u2407</pre>');
  });

  it('sets lang on the page and on the samples, and marks a cut sample with "…"', () => {
    const html = renderHtmlReport(content);
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(html).toContain(
      '<pre lang="vi"> she was happy and<span class="cut" title="cut at the token limit">…</span></pre>',
    );
    expect(html).toContain('<pre lang="vi"> she was sad.\u2407</pre>');
    expect(html).toContain('was cut at the token limit');
    expect(renderHtmlReport({ ...content, samples: [] })).not.toContain('was cut at the token limit');
  });

  it('keeps a fixed y range, widened only by data outside it', () => {
    const chart = (points: [number, number][]) =>
      renderLineChart({ title: 'a', xLabel: 'x', yLabel: 'y', yRange: [0, 1], series: [{ name: 's', points }] });
    const labels = (svg: string) => [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(
      labels(
        chart([
          [1, 0.6],
          [2, 0.62],
        ]),
      ),
    ).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(
      labels(
        chart([
          [1, 0.5],
          [2, 1.5],
        ]),
      ),
    ).toContain('1.5');
  });

  it('renders in headless Chromium with non-empty charts (screenshot check)', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`).toBe(
      true,
    );
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtmlReport(content));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      // Every polyline has real geometry: a bounding box wider and taller than a few pixels.
      const boxes = await page.$$eval('polyline.series', (lines) =>
        lines.map((l) => {
          const b = (l as SVGGraphicsElement).getBBox();
          return { w: b.width, h: b.height, points: (l as SVGPolylineElement).points.numberOfItems };
        }),
      );
      expect(boxes).toHaveLength(4);
      for (const b of boxes.slice(0, 3)) {
        expect(b.points).toBe(20);
        expect(b.w).toBeGreaterThan(100);
        expect(b.h).toBeGreaterThan(50);
      }
      // The accuracy chart's axis is [0, 1]: training accuracy 0.5 → 0.975 spans about half the plot's
      // height (220 px), not all of it as a data-fitted axis would draw it.
      const plot = 280 - 18 - 42;
      expect(boxes[2]?.h).toBeGreaterThan(plot * 0.4);
      expect(boxes[2]?.h).toBeLessThan(plot * 0.55);
      expect(boxes[3]?.points).toBe(2);
      // What the preferences encode, the warning and the cut mark are on the page.
      expect(await page.textContent('.about')).toContain('A happy ending over a sad one.');
      expect(await page.isVisible('.warning')).toBe(true);
      expect(await page.textContent('.warning')).toContain('overfitting');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.$$eval('pre[lang="vi"]', (els) => els.length)).toBe(3);
      expect(await page.textContent('.sample .cols')).toContain('she was happy and…');
      // The screenshot of a chart holds the series colour (blue #2563eb) in many pixels.
      const chart = await page.$('figure.chart svg');
      const png = await chart?.screenshot({ path: join(dir, 'chart.png') });
      expect(png?.length ?? 0).toBeGreaterThan(1000);
      const blue = await page.evaluate(
        async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.width;
          canvas.height = img.height;
          const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, img.width, img.height).data;
          let n = 0;
          for (let i = 0; i < data.length; i += 4)
            if (Math.abs(data[i]! - 37) < 40 && Math.abs(data[i + 1]! - 99) < 40 && data[i + 2]! > 200) n++;
          return n;
        },
        `data:image/png;base64,${png?.toString('base64')}`,
      );
      expect(blue).toBeGreaterThan(200);
      expect(await page.textContent('table')).toContain('DPO');
    } finally {
      await browser.close();
    }
  });
});
