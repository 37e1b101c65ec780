import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from './html-report.js';
import { renderLineChart } from './svg-chart.js';

const CHROMIUM = '/usr/bin/chromium';

const content = {
  title: 'RLHF pipeline report',
  subtitle: 'test run',
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
      before: ' she was sad.',
      after: ' she was happy.',
      scoreBefore: -1,
      scoreAfter: 1,
    },
  ],
};

describe('HTML report', () => {
  it('escapes text and marks each drawn series with its point count', () => {
    const html = renderHtmlReport(content);
    expect(html).toContain('Once upon a time &lt;b&gt;');
    expect(html).not.toContain('<b>\n');
    expect(html.match(/<polyline class="series"[^>]*data-points="20"/g)).toHaveLength(2);
    expect(renderLineChart({ title: 'empty', xLabel: 'x', yLabel: 'y', series: [] })).toContain('No data recorded.');
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
      expect(boxes).toHaveLength(2);
      for (const b of boxes) {
        expect(b.points).toBe(20);
        expect(b.w).toBeGreaterThan(100);
        expect(b.h).toBeGreaterThan(50);
      }
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
