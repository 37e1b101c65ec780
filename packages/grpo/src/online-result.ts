import type { LogRecord, TrainerStats } from '@rlhf/core';
import type { GRPOOptions, RLOOOptions } from './online-config.js';

/** The options both online trainers have. */
export type OnlineOptions = GRPOOptions | RLOOOptions;

/**
 * The history of an online run in columns (one entry per logged step), TRL's metric names in `metrics`
 * (`reward`, `reward_std`, `rewards/<name>/mean`, `rewards/<name>/std`, `kl`, `entropy`,
 * `clip_ratio/low_mean`, `clip_ratio/high_mean`, `clip_ratio/region_mean`, `completions/mean_length`,
 * `completions/clipped_ratio`, `frac_reward_zero_std`, `num_tokens`).
 */
export interface OnlineHistory {
  /** Mean loss of each logging window. */
  train_loss: number[];
  /** Mean total (weighted) reward of the window's completions. */
  reward: number[];
  /** GRPO: mean within-group std of the total reward; RLOO: its std over the batch (as TRL logs them). */
  reward_std: number[];
  /** Mean k3 KL to the reference per completion token (0 without a reference). */
  kl: number[];
  /** Mean per-token entropy of the policy on its completions. */
  entropy: number[];
  /** Share of completion tokens (RLOO: completions) whose ratio was clipped. */
  clip_ratio: number[];
  /** Mean completion length, in tokens. */
  completion_length: number[];
  /** Learning rate of each window's last step. */
  learning_rate: number[];
  /** Gradient norm (before clipping) of each window's last step. */
  grad_norm: number[];
  /** Optimizer step of each entry. */
  step: number[];
  /** Every metric column by TRL's name. */
  metrics: Record<string, number[]>;
  /** Every record, in order. */
  records: LogRecord[];
}

/** What `huan_luyen` of an online trainer resolves to. */
export interface OnlineResult {
  /** Total time of the run in seconds (tổng thời gian). */
  tong_thoi_gian: number;
  /** Whole epochs over the prompts completed (số epoch). */
  so_epoch: number;
  /** Optimizer steps done. */
  global_step: number;
  /** Smallest logged train loss (NaN when nothing was logged). */
  train_loss_min: number;
  /** Mean reward of the first logging window (NaN when nothing was logged). */
  initial_reward: number;
  /** Mean reward of the last logging window (NaN when nothing was logged). */
  final_reward: number;
  /** Per logging window (the same object `lay_lich_su()` returns). */
  history: OnlineHistory;
}

/** `thong_ke()` of an online trainer: the shared statistics plus generation's. */
export interface OnlineStats extends TrainerStats {
  /** Prompts of the run. */
  prompts: number;
  /** Prompts cut to `max_prompt_length`. */
  truncated_prompts: number;
  /** Completions sampled. */
  completions: number;
  /** Tokens generated (completion tokens). */
  generated_tokens: number;
  /** Seconds spent generating. */
  generation_seconds: number;
  /** Seconds spent in optimizer steps (forward with the tape, loss, backward, clipping, AdamW). */
  training_seconds: number;
  /** Generated tokens per second of the generation phase. */
  generation_tokens_per_second: number;
  /** Tokens (prompt + completion) per second of the training phase (forward + backward + step). */
  training_tokens_per_second: number;
  /** Names of the reward functions, in order. */
  reward_functions: string[];
  /**
   * Where the reference came from: `'ref_model'`, `'frozen_copy'`, `'adapters_disabled'` (with `lora`: the
   * model with its adapters off), or `null` (β = 0: none).
   */
  reference: 'ref_model' | 'frozen_copy' | 'adapters_disabled' | null;
}

/** What a trainer's advantage rule returns for one generated batch. */
export interface RoundAdvantages {
  /** One advantage per completion, (N), in the batch's order. */
  advantages: number[];
  /** Extra metrics of the batch by TRL's names (`frac_reward_zero_std`, ...). */
  metrics: Record<string, number>;
}
