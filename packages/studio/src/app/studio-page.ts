import { escapeText, lineChart } from './line-chart.js';
import { readPreferenceFile, toJsonl } from './preference-file.js';
import { readSftFile } from './sft-file.js';
import type {
  FromWorker,
  ModelFiles,
  PreferenceRecord,
  ToWorker,
  TrainPoint,
  TrainSettings,
} from './studio-messages.js';
import { StudioStore } from './studio-store.js';

// The studio page: two sampled continuations of a prompt, the person's choice (A, B, tie, skip) kept as
// a preference record, DPO on the choices in a worker, live charts, and IndexedDB for everything.

declare const STUDIO_WORKER_SOURCE: string;
const BASE_MODEL = './models/stories260K/';
const BASE_FILES = [
  'config.json',
  'model.safetensors',
  'tokenizer.json',
  'tokenizer_config.json',
  'generation_config.json',
];

interface Choice {
  prompt: string;
  a: string;
  b: string;
  verdict: 'a' | 'b' | 'tie' | 'skip';
}

const DEFAULT_SETTINGS: TrainSettings & { maxNewTokens: number; temperature: number; backend: 'auto' | 'js' } = {
  epochs: 2,
  learningRate: 5e-3,
  beta: 0.1,
  batchSize: 8,
  maxNewTokens: 12,
  temperature: 1,
  backend: 'auto',
};
type Settings = typeof DEFAULT_SETTINGS;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let store: StudioStore;
let worker: Worker;
let settings: Settings = { ...DEFAULT_SETTINGS };
let choices: Choice[] = [];
let history: TrainPoint[] = [];
let base: ModelFiles = {};
let pair: { prompt: string; a: string; b: string } | null = null;
let sampleSeed = 1;
let nextId = 1;
const waiting = new Map<number, (texts: string[]) => void>();
let onTrained: ((m: Extract<FromWorker, { type: 'trained' }>) => void) | null = null;
let loading: { resolve: () => void; reject: (error: Error) => void } | null = null;
let running: ((error: Error) => void) | null = null;
let onRewardTrained: ((m: Extract<FromWorker, { type: 'reward-trained' }>) => void) | null = null;
const scoring = new Map<number, (scores: number[]) => void>();
let sftHistory: number[] = [];
let rewardTrained = false;

function showError(message: string): void {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
  setStatus('Something went wrong: see the message above.');
}

function setStatus(text: string): void {
  $('status').textContent = text;
}

function records(): PreferenceRecord[] {
  return choices
    .filter((c) => c.verdict === 'a' || c.verdict === 'b')
    .map((c) => ({ prompt: c.prompt, chosen: c.verdict === 'a' ? c.a : c.b, rejected: c.verdict === 'a' ? c.b : c.a }));
}

function renderCounts(): void {
  const n = records().length;
  const ties = choices.filter((c) => c.verdict === 'tie').length;
  const skips = choices.filter((c) => c.verdict === 'skip').length;
  $('count').textContent =
    `${n} preference${n === 1 ? '' : 's'}, ${ties} tie${ties === 1 ? '' : 's'}, ${skips} skipped`;
  $('count').dataset.preferences = String(n);
  ($('train') as HTMLButtonElement).disabled = n < 2;
  ($('train-reward') as HTMLButtonElement).disabled = n < 2;
}

function renderCharts(): void {
  $('chart-loss').innerHTML = lineChart(
    'DPO loss',
    history.map((p) => p.loss),
    '#c0392b',
  );
  $('chart-margin').innerHTML = lineChart(
    'Reward margin',
    history.map((p) => p.margin),
    '#2c7fb8',
  );
  $('chart-accuracy').innerHTML = lineChart(
    'Reward accuracy',
    history.map((p) => p.accuracy),
    '#27ae60',
  );
}

/** Sends a training message and waits for its answer; a worker error rejects (and shows in the page). */
function runInWorker<T>(message: ToWorker, settle: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    running = reject;
    settle((value) => {
      running = null;
      resolve(value);
    });
    send(message);
  });
}

function scoreTexts(texts: string[]): Promise<number[]> {
  const id = nextId++;
  return new Promise((resolve) => {
    scoring.set(id, resolve);
    send({ type: 'score', id, texts });
  });
}

async function showScores(): Promise<void> {
  for (const side of ['a', 'b']) $(`score-${side}`).textContent = '';
  if (!rewardTrained || !pair) return;
  const scores = await scoreTexts([pair.prompt + pair.a, pair.prompt + pair.b]);
  scores.forEach((score, i) => {
    const el = $(`score-${i === 0 ? 'a' : 'b'}`);
    el.textContent = `reward ${score.toFixed(3)}`;
    el.dataset.score = String(score);
  });
}

function download(name: string, bytes: Uint8Array | string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes as BlobPart]));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function send(message: ToWorker): void {
  worker.postMessage(message);
}

function sample(prompt: string, seeds: number[]): Promise<string[]> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    send({ type: 'sample', id, prompt, seeds, maxNewTokens: settings.maxNewTokens, temperature: settings.temperature });
  });
}

function loadModel(current: ModelFiles): Promise<void> {
  setStatus('Loading the model…');
  return new Promise((resolve, reject) => {
    loading = { resolve, reject };
    send({ type: 'load', base, current, backend: settings.backend });
  });
}

async function newPair(): Promise<void> {
  const prompt = ($('prompt') as HTMLInputElement).value;
  if (prompt.trim() === '') return showError('Type a prompt first.');
  setStatus('Sampling two continuations…');
  const [a, b] = await sample(prompt, [sampleSeed, sampleSeed + 1]);
  sampleSeed += 2;
  pair = { prompt, a: a ?? '', b: b ?? '' };
  $('text-a').textContent = pair.a;
  $('text-b').textContent = pair.b;
  $('pair').hidden = false;
  await showScores();
  setStatus('Which continuation is better? 1 = A, 2 = B, T = tie, S = skip.');
}

async function choose(verdict: Choice['verdict']): Promise<void> {
  if (!pair) return;
  choices.push({ ...pair, verdict });
  pair = null;
  await store.put('choices', choices);
  renderCounts();
  await newPair();
}

async function train(): Promise<void> {
  const data = records();
  if (data.length < 2) return showError('Make at least two choices (A or B) before training.');
  history = [];
  renderCharts();
  setStatus(`Training DPO on ${data.length} preferences…`);
  ($('train') as HTMLButtonElement).disabled = true;
  const done = await new Promise<Extract<FromWorker, { type: 'trained' }>>((resolve) => {
    onTrained = resolve;
    send({ type: 'train', records: data, settings });
  });
  await store.put('weights', done.files);
  await store.put('history', history);
  $('speed').textContent = `${done.tokensPerSecond} tokens/s`;
  $('speed').dataset.tokensPerSecond = String(done.tokensPerSecond);
  ($('train') as HTMLButtonElement).disabled = false;
  setStatus(
    `Trained in ${done.seconds.toFixed(1)} s (${done.tokensPerSecond} tokens/s). Fresh samples show what changed.`,
  );
  document.body.dataset.trained = String(Number(document.body.dataset.trained ?? 0) + 1);
}

async function trainSft(): Promise<void> {
  const pasted = ($('sft-text') as HTMLTextAreaElement).value;
  const file = ($('sft-file') as HTMLInputElement).files?.[0];
  if (pasted.trim() === '' && !file) return showError('Paste SFT records or choose a data file first.');
  const data =
    pasted.trim() !== ''
      ? await readSftFile(new Blob([pasted]), 'pasted.jsonl')
      : await readSftFile(file as File, (file as File).name);
  sftHistory = [];
  renderSftChart();
  setStatus(`Training SFT on ${data.length} records…`);
  ($('train-sft') as HTMLButtonElement).disabled = true;
  try {
    const done = await runInWorker<Extract<FromWorker, { type: 'trained' }>>(
      { type: 'sft', records: data, settings },
      (resolve) => {
        onTrained = resolve;
      },
    );
    await store.put('weights', done.files);
    setStatus(`SFT done in ${done.seconds.toFixed(1)} s (${done.tokensPerSecond} tokens/s).`);
    document.body.dataset.sftTrained = String(Number(document.body.dataset.sftTrained ?? 0) + 1);
  } finally {
    ($('train-sft') as HTMLButtonElement).disabled = false;
  }
}

function renderSftChart(): void {
  $('chart-sft').innerHTML = lineChart('SFT loss', sftHistory, '#8e44ad');
}

async function trainReward(): Promise<void> {
  const data = records();
  if (data.length < 2) return showError('Make at least two choices (A or B) before training a reward model.');
  setStatus(`Training a reward model on ${data.length} preferences…`);
  ($('train-reward') as HTMLButtonElement).disabled = true;
  try {
    const done = await runInWorker<Extract<FromWorker, { type: 'reward-trained' }>>(
      { type: 'reward', records: data, settings },
      (resolve) => {
        onRewardTrained = resolve;
      },
    );
    rewardTrained = true;
    const box = $('reward-metrics');
    box.textContent = `accuracy ${done.accuracy.toFixed(2)}, margin ${done.margin.toFixed(3)} on your ${data.length} choices (${done.seconds.toFixed(1)} s)`;
    box.dataset.accuracy = String(done.accuracy);
    box.dataset.margin = String(done.margin);
    await showScores();
    setStatus('Reward model trained: the two continuations show its scores.');
    document.body.dataset.rewardTrained = String(Number(document.body.dataset.rewardTrained ?? 0) + 1);
  } finally {
    ($('train-reward') as HTMLButtonElement).disabled = records().length < 2;
  }
}

async function freshSamples(): Promise<void> {
  setStatus('Sampling fresh continuations…');
  const prompt = ($('prompt') as HTMLInputElement).value;
  const seeds = Array.from({ length: 16 }, (_, i) => 1000 + i);
  const texts = await sample(prompt, seeds);
  $('fresh').innerHTML = texts.map((t) => `<li class="fresh-sample">${escapeText(t)}</li>`).join('');
  $('fresh').dataset.round = String(Number($('fresh').dataset.round ?? 0) + 1);
  setStatus('Fresh samples ready.');
}

/** A model folder the person opened, kept in IndexedDB so that a reload keeps the same base and reference. */
interface OpenedModel {
  name: string;
  files: ModelFiles;
}

function showModelSource(name: string | null): void {
  $('model-source').textContent = name ? `Model: ${name} (your folder, kept in this browser)` : 'Model: stories260K';
  $('model-source').dataset.model = name ?? 'stories260K';
}

async function openFolder(files: FileList): Promise<void> {
  const chosen: ModelFiles = {};
  for (const f of Array.from(files)) chosen[f.name] = new Uint8Array(await f.arrayBuffer());
  const name = (files[0] as File & { webkitRelativePath?: string }).webkitRelativePath?.split('/')[0] || 'model';
  const previous = base;
  base = chosen;
  try {
    await loadModel(chosen);
    await store.delete('weights');
    await store.put('model', { name, files: chosen } satisfies OpenedModel);
    showModelSource(name);
    setStatus(`Opened ${name}: it stays the base and reference model across reloads.`);
  } catch (error) {
    base = previous;
    throw error;
  }
}

function readSettingsForm(): void {
  settings = {
    ...settings,
    epochs: Number(($('epochs') as HTMLInputElement).value) || DEFAULT_SETTINGS.epochs,
    learningRate: Number(($('lr') as HTMLInputElement).value) || DEFAULT_SETTINGS.learningRate,
  };
  void store.put('settings', settings);
}

function onWorker(message: FromWorker): void {
  if (message.type === 'samples') waiting.get(message.id)?.(message.texts);
  else if (message.type === 'progress') {
    history.push(message.point);
    renderCharts();
    setStatus(`Training: step ${message.point.step}, loss ${message.point.loss.toFixed(4)}`);
  } else if (message.type === 'trained') onTrained?.(message);
  else if (message.type === 'sft-progress') {
    sftHistory.push(message.loss);
    renderSftChart();
    setStatus(`SFT: step ${message.step}, loss ${message.loss.toFixed(4)}`);
  } else if (message.type === 'reward-trained') onRewardTrained?.(message);
  else if (message.type === 'scores') scoring.get(message.id)?.(message.scores);
  else if (message.type === 'loaded') {
    $('backend').textContent = `${message.backend} · ${message.parameters.toLocaleString('en')} parameters`;
    $('backend').dataset.backend = message.backend;
    setStatus('Ready: type a prompt and press “Sample two”.');
    document.body.dataset.ready = 'true';
    loading?.resolve();
    loading = null;
  } else if (message.type === 'error') {
    if (loading) loading.reject(new Error(message.message));
    else if (running) running(new Error(message.message));
    else showError(message.message);
    loading = null;
    running = null;
    ($('train') as HTMLButtonElement).disabled = records().length < 2;
  }
}

function guard(run: () => Promise<void>): () => void {
  return () => {
    $('error').hidden = true;
    run().catch((error: unknown) => showError(error instanceof Error ? error.message : String(error)));
  };
}

async function start(): Promise<void> {
  window.addEventListener('error', (e) => showError(e.message));
  window.addEventListener('unhandledrejection', (e) => showError(String((e.reason as Error)?.message ?? e.reason)));
  store = await StudioStore.open();
  settings = { ...DEFAULT_SETTINGS, ...((await store.get<Settings>('settings')) ?? {}) };
  const forced = new URLSearchParams(location.search).get('backend');
  if (forced === 'js' || forced === 'auto') settings.backend = forced;
  ($('epochs') as HTMLInputElement).value = String(settings.epochs);
  ($('lr') as HTMLInputElement).value = String(settings.learningRate);
  choices = (await store.get<Choice[]>('choices')) ?? [];
  history = (await store.get<TrainPoint[]>('history')) ?? [];
  renderCounts();
  renderCharts();
  const url = URL.createObjectURL(new Blob([STUDIO_WORKER_SOURCE], { type: 'text/javascript' }));
  worker = new Worker(url, { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onWorker(e.data);
  worker.onerror = (e) => showError(`The training worker failed: ${e.message}`);
  const opened = await store.get<OpenedModel>('model');
  if (opened) base = opened.files;
  else {
    for (const name of BASE_FILES) {
      const response = await fetch(`${BASE_MODEL}${name}`);
      if (response.ok) base[name] = new Uint8Array(await response.arrayBuffer());
    }
  }
  showModelSource(opened?.name ?? null);
  const saved = await store.get<ModelFiles>('weights');
  if (saved) $('restored').textContent = 'Trained weights restored from this browser.';
  await loadModel(saved ?? base);

  $('sample').onclick = guard(newPair);
  $('choose-a').onclick = guard(() => choose('a'));
  $('choose-b').onclick = guard(() => choose('b'));
  $('choose-tie').onclick = guard(() => choose('tie'));
  $('choose-skip').onclick = guard(() => choose('skip'));
  $('train').onclick = guard(train);
  $('train-sft').onclick = guard(trainSft);
  $('train-reward').onclick = guard(trainReward);
  $('fresh-button').onclick = guard(freshSamples);
  $('epochs').onchange = readSettingsForm;
  $('lr').onchange = readSettingsForm;
  $('export-prefs').onclick = guard(async () => download('preferences.jsonl', `${toJsonl(records())}\n`));
  $('export-model').onclick = guard(async () => {
    const files = (await store.get<ModelFiles>('weights')) ?? base;
    for (const [name, bytes] of Object.entries(files)) download(name, bytes);
  });
  ($('import-prefs') as HTMLInputElement).onchange = guard(async () => {
    const file = ($('import-prefs') as HTMLInputElement).files?.[0];
    if (!file) return;
    const imported = await readPreferenceFile(file);
    choices.push(...imported.map((r) => ({ prompt: r.prompt, a: r.chosen, b: r.rejected, verdict: 'a' as const })));
    await store.put('choices', choices);
    renderCounts();
    setStatus(`Imported ${imported.length} preferences from ${file.name}.`);
  });
  ($('open-model') as HTMLInputElement).onchange = guard(async () => {
    const files = ($('open-model') as HTMLInputElement).files;
    if (files && files.length > 0) await openFolder(files);
  });
  $('reset').onclick = guard(async () => {
    choices = [];
    history = [];
    await Promise.all(['choices', 'history', 'weights'].map((k) => store.delete(k)));
    renderCounts();
    renderCharts();
    await loadModel(base);
  });
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || !pair) return;
    const key = e.key.toLowerCase();
    const verdict = ({ '1': 'a', '2': 'b', t: 'tie', s: 'skip' } as const)[key as '1' | '2' | 't' | 's'];
    if (verdict) guard(() => choose(verdict))();
  });
}

start().catch((error: unknown) => showError(error instanceof Error ? error.message : String(error)));
