import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInChromium, stories260KFolder } from '@rlhf/browser-testing';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStudio } from './build-studio.js';

// The built studio in headless Chromium, driven as a person would: choices by a fixed rule (prefer the
// continuation that contains WORD), DPO training in the worker, fresh samples before and after, a reload.
const WORD = /\bgirl\b/i;
const CHOICES = 24;
const shots = join(process.env.STUDIO_SCREENSHOTS ?? join(tmpdir(), 'rlhf-studio-shots'));
let files: Record<string, string | Uint8Array>;

beforeAll(async () => {
  files = await buildStudio();
  mkdirSync(shots, { recursive: true });
});

async function freshSamples(page: Page, round: number): Promise<string[]> {
  await page.click('#fresh-button');
  await page.waitForFunction((r) => document.getElementById('fresh')?.dataset.round === String(r), round);
  return page.$$eval('li.fresh-sample', (items) => items.map((i) => i.textContent ?? ''));
}

const rate = (texts: string[]) => texts.filter((t) => WORD.test(t)).length / texts.length;

/** Counts pixels near a colour in a PNG, decoded by the page. */
function countColour(page: Page, png: Buffer, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(
    async ([src, [r, g, b]]) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, img.width, img.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i]! - r) < 40 && Math.abs(d[i + 1]! - g) < 40 && Math.abs(d[i + 2]! - b) < 40) n++;
      return n;
    },
    [`data:image/png;base64,${png.toString('base64')}`, rgb] as [string, [number, number, number]],
  );
}

const status = (page: Page) => page.textContent('#status');
const totalChoices = (page: Page) =>
  page.$eval('#count', (e) => (e.textContent?.match(/\d+/g) ?? []).reduce((s, n) => s + Number(n), 0));

/**
 * "Train reward model" on the choices so far, then held-out pairs (fresh samples the rule can decide,
 * skipped so that they are not training data): the share where the rule-following one scores higher.
 */
async function rewardModelOnChoices(page: Page): Promise<void> {
  await page.click('#train-reward');
  await page.waitForSelector('body[data-reward-trained="1"]', { timeout: 120_000 });
  const accuracy = Number(await page.getAttribute('#reward-metrics', 'data-accuracy'));
  const margin = Number(await page.getAttribute('#reward-metrics', 'data-margin'));
  let decided = 0;
  let right = 0;
  for (let round = 0; decided < 12 && round < 80; round++) {
    const a = WORD.test((await page.textContent('#text-a')) ?? '');
    const b = WORD.test((await page.textContent('#text-b')) ?? '');
    const [sa, sb] = [
      Number(await page.getAttribute('#score-a', 'data-score')),
      Number(await page.getAttribute('#score-b', 'data-score')),
    ];
    expect(Number.isFinite(sa) && Number.isFinite(sb)).toBe(true);
    if (a !== b) {
      decided++;
      if ((a ? sa : sb) > (a ? sb : sa)) right++;
    }
    const total = await totalChoices(page);
    await page.keyboard.press('s');
    await page.waitForFunction(
      (t) =>
        (document.getElementById('count')?.textContent?.match(/\d+/g) ?? []).reduce((s, n) => s + Number(n), 0) > t &&
        document.getElementById('status')?.textContent?.startsWith('Which'),
      total,
    );
  }
  console.log(
    `[studio reward] accuracy ${accuracy}, margin ${margin} on ${CHOICES} choices; held-out ${right}/${decided}`,
  );
  expect(accuracy).toBeGreaterThanOrEqual(0.9);
  expect(margin).toBeGreaterThan(0);
  expect(decided).toBe(12);
  expect(right).toBeGreaterThanOrEqual(10); // measured 12 of 12
}

describe('the studio in headless Chromium', () => {
  for (const webgpu of [false, true]) {
    const label = webgpu ? 'webgpu' : 'js';
    it(`learns a person's choices on ${label} and keeps them across a reload`, {
      timeout: webgpu ? 540_000 : 240_000,
    }, async () => {
      const chromium = await openInChromium(files, { webgpu }, webgpu ? '/' : '/?backend=js');
      const { page } = chromium;
      const fail = (e: Error) => {
        throw new Error(`${e.message}\nstatus: ${chromium.console.join('\n')}`);
      };
      try {
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }).catch(fail);
        expect(await page.getAttribute('#backend', 'data-backend')).toBe(label);
        const before = await freshSamples(page, 1);
        expect(before).toHaveLength(16);

        // Choices by the rule, with the keyboard: 1 = A, 2 = B, S = skip when the rule cannot decide.
        await page.click('#sample');
        await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Which'));
        let preferences = 0;
        for (let round = 0; preferences < CHOICES && round < 150; round++) {
          const a = WORD.test((await page.textContent('#text-a')) ?? '');
          const b = WORD.test((await page.textContent('#text-b')) ?? '');
          const total = await totalChoices(page);
          await page.keyboard.press(a === b ? 's' : a ? '1' : '2');
          if (a !== b) preferences++;
          await page.waitForFunction(
            (t) =>
              (document.getElementById('count')?.textContent?.match(/\d+/g) ?? []).reduce((s, n) => s + Number(n), 0) >
                t && document.getElementById('status')?.textContent?.startsWith('Which'),
            total,
          );
        }
        expect(await page.getAttribute('#count', 'data-preferences')).toBe(String(CHOICES));
        if (!webgpu) await rewardModelOnChoices(page);
        const shotBefore = await page.screenshot({ path: join(shots, `studio-${label}-before.png`), fullPage: true });
        expect(await page.$$eval('.sample-text', (e) => e.filter((x) => (x.textContent ?? '').length > 5).length)).toBe(
          2,
        );
        expect(await countColour(page, shotBefore, [192, 57, 43])).toBe(0); // no loss curve yet

        await page.click('#train');
        await page.waitForSelector('body[data-trained="1"]', { timeout: webgpu ? 480_000 : 180_000 }).catch(fail);
        const chart = await page.textContent('#chart-loss');
        const [lossFirst, lossLast] = (chart?.match(/(-?\d+\.\d+) → (-?\d+\.\d+)/)?.slice(1) ?? []).map(Number);
        const points = await page.$$eval('polyline.series', (l) => l.map((x) => Number(x.getAttribute('data-points'))));
        const speed = Number(await page.getAttribute('#speed', 'data-tokens-per-second'));
        const after = await freshSamples(page, 2);
        console.log(
          `[studio ${label}] ${CHOICES} choices; loss ${lossFirst} → ${lossLast} over ${points[0]} steps; rule rate ${rate(before)} → ${rate(after)}; ${speed} tokens/s`,
        );
        expect(lossFirst).toBeCloseTo(Math.LN2, 2);
        expect(lossLast).toBeLessThan((lossFirst as number) - 0.1);
        expect(points).toEqual([6, 6, 6]); // 24 pairs, batches of 8, 2 epochs: loss, margin, accuracy
        expect(rate(after)).toBeGreaterThan(rate(before));
        expect(speed).toBeGreaterThan(0);
        const shotAfter = await page.screenshot({ path: join(shots, `studio-${label}-after.png`), fullPage: true });
        expect(await countColour(page, shotAfter, [192, 57, 43])).toBeGreaterThan(150); // the loss curve
        expect(await countColour(page, shotAfter, [39, 174, 96])).toBeGreaterThan(150); // the accuracy curve
        expect(await page.$$eval('li.fresh-sample', (l) => l.length)).toBe(16);

        // A reload keeps the choices, the charts and the trained weights (same seeds → same samples).
        await page.reload();
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }).catch(fail);
        expect(await page.getAttribute('#count', 'data-preferences')).toBe(String(CHOICES));
        expect(await page.textContent('#restored')).toContain('Trained weights restored');
        expect(await freshSamples(page, 1)).toEqual(after);
        expect(await page.$$eval('polyline.series', (l) => l.length)).toBe(3);
        expect(await status(page)).toBe('Fresh samples ready.');
        writeFileSync(join(shots, `studio-${label}-console.txt`), chromium.console.join('\n'));
      } finally {
        await chromium.close();
      }
    });
  }
});

describe('the studio with bad input', () => {
  it('shows a clear message in the page for a corrupt file and a wrong folder, and keeps its settings', {
    timeout: 60_000,
  }, async () => {
    const chromium = await openInChromium(files, {}, '/?backend=js');
    const { page } = chromium;
    try {
      await page.waitForSelector('body[data-ready="true"]', { timeout: 40_000 });
      await page.setInputFiles('#import-prefs', {
        name: 'prefs.jsonl',
        mimeType: 'application/json',
        buffer: Buffer.from('{"prompt":"a","chosen":"b","rejected":"c"}\n{"prompt": oops}\n'),
      });
      await page.waitForSelector('#error:not([hidden])');
      expect(await page.textContent('#error')).toMatch(/^prefs\.jsonl line 2 is not valid JSON/);
      await page.setInputFiles('#import-prefs', {
        name: 'other.jsonl',
        mimeType: 'application/json',
        buffer: Buffer.from('{"prompt":"a","answer":"b"}\n'),
      });
      await page.waitForFunction(() => document.getElementById('error')?.textContent?.startsWith('other.jsonl'));
      expect(await page.textContent('#error')).toBe(
        'other.jsonl line 1: a preference record needs string "prompt", "chosen" and "rejected".',
      );
      const folder = join(tmpdir(), `rlhf-studio-wrong-${process.pid}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'notes.txt'), 'not a model');
      await page.setInputFiles('#open-model', folder);
      await page.waitForFunction(() => document.getElementById('error')?.textContent?.includes('config.json'));
      expect(await page.textContent('#error')).toMatch(
        /^Missing file config\.json in .*: it is needed to build the model\.$/,
      );
      // The page still works: the bundled model stays loaded.
      expect(await page.getAttribute('#backend', 'data-backend')).toBe('js');
      expect(await page.getAttribute('#count', 'data-preferences')).toBe('0');
      expect(await page.getAttribute('#model-source', 'data-model')).toBe('stories260K');
      // A right folder becomes the base and reference, and stays so across the reload below.
      const mine = join(tmpdir(), `rlhf-studio-mine-${process.pid}`, 'my-model');
      mkdirSync(mine, { recursive: true });
      for (const [name, bytes] of Object.entries(stories260KFolder(''))) writeFileSync(join(mine, name), bytes);
      await page.setInputFiles('#open-model', mine);
      await page.waitForFunction(() => document.getElementById('model-source')?.dataset.model === 'my-model');
      expect(await status(page)).toBe('Opened my-model: it stays the base and reference model across reloads.');
      // Settings persist as well.
      await page.fill('#lr', '0.002');
      await page.dispatchEvent('#lr', 'change');
      await page.waitForTimeout(200);
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { timeout: 40_000 });
      expect(await page.inputValue('#lr')).toBe('0.002');
      expect(await page.getAttribute('#model-source', 'data-model')).toBe('my-model');
      expect(await page.textContent('#backend')).toMatch(/^js · [\d,]+ parameters$/);
    } finally {
      await chromium.close();
    }
  });
});

describe('SFT in the studio', () => {
  it('shows the line of a corrupt pasted record, then SFT on a small pasted set lowers the loss', {
    timeout: 60_000,
  }, async () => {
    const chromium = await openInChromium(files, {}, '/?backend=js');
    const { page } = chromium;
    try {
      await page.waitForSelector('body[data-ready="true"]', { timeout: 40_000 });
      await page.fill('#sft-text', '{"text":"Once upon a time."}\n{"text": oops}\n');
      await page.click('#train-sft');
      await page.waitForSelector('#error:not([hidden])');
      expect(await page.textContent('#error')).toMatch(/^pasted\.jsonl line 2 is not valid JSON/);
      await page.fill('#sft-text', '{"text":"Once upon a time."}\n{"answer":"no format"}\n');
      await page.click('#train-sft');
      await page.waitForFunction(() =>
        document.getElementById('error')?.textContent?.startsWith('pasted.jsonl line 2:'),
      );
      expect(await page.textContent('#error')).toMatch(/^pasted\.jsonl line 2: the record .*expected/);

      const names = ['Lily', 'Tom', 'Sue', 'Ben'];
      const lines = Array.from({ length: 16 }, (_, i) =>
        JSON.stringify({ text: `Once upon a time, there was a girl named ${names[i % 4]}. She liked to play.` }),
      );
      await page.fill('#sft-text', lines.join('\n'));
      await page.fill('#epochs', '4');
      await page.dispatchEvent('#epochs', 'change');
      await page.click('#train-sft');
      await page.waitForSelector('body[data-sft-trained="1"]', { timeout: 40_000 });
      const chart = await page.textContent('#chart-sft');
      const [first, last] = (chart?.match(/(-?\d+\.\d+) → (-?\d+\.\d+)/)?.slice(1) ?? []).map(Number);
      const points = await page.$$eval('#chart-sft polyline.series', (l) =>
        l.map((x) => Number(x.getAttribute('data-points'))),
      );
      console.log(`[studio sft] loss ${first} → ${last} over ${points[0]} steps`);
      expect(points).toEqual([8]); // 16 records, batches of 8, 4 epochs
      expect(last).toBeLessThan((first as number) * 0.8);
      expect(await page.isHidden('#error')).toBe(true);
    } finally {
      await chromium.close();
    }
  });
});
