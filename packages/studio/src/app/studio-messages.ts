/** A preference record in TRL's format (what DPO trains on, and the exported JSONL's lines). */
export interface PreferenceRecord {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** Model files by name (`config.json`, `model.safetensors`, `tokenizer.json`, …). */
export type ModelFiles = Record<string, Uint8Array>;

/** Training settings the page keeps. */
export interface TrainSettings {
  epochs: number;
  learningRate: number;
  beta: number;
  batchSize: number;
}

/** Page → worker. */
export type ToWorker =
  | { type: 'load'; base: ModelFiles; current: ModelFiles; backend: 'auto' | 'js' }
  | { type: 'sample'; id: number; prompt: string; seeds: number[]; maxNewTokens: number; temperature: number }
  | { type: 'train'; records: PreferenceRecord[]; settings: TrainSettings }
  | { type: 'sft'; records: unknown[]; settings: TrainSettings }
  | { type: 'reward'; records: PreferenceRecord[]; settings: TrainSettings }
  | { type: 'score'; id: number; texts: string[] };

/** One logged DPO step. */
export interface TrainPoint {
  step: number;
  loss: number;
  margin: number;
  accuracy: number;
}

/** Worker → page. */
export type FromWorker =
  | { type: 'loaded'; backend: string; parameters: number }
  | { type: 'samples'; id: number; texts: string[] }
  | { type: 'progress'; point: TrainPoint }
  | { type: 'trained'; files: ModelFiles; tokensPerSecond: number; seconds: number }
  | { type: 'sft-progress'; step: number; loss: number }
  | { type: 'reward-trained'; accuracy: number; margin: number; seconds: number }
  | { type: 'scores'; id: number; scores: number[] }
  | { type: 'error'; message: string };
