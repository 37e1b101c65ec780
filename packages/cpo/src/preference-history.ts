import type { LogRecord, TrainingHistory } from '@rlhf/core';

/** The columns of every history here that the shared loop fills: loss, schedule, steps and records. */
export interface LoopHistoryColumns {
  /** Mean loss per pair of each logging window. */
  train_loss: number[];
  /** Learning rate of the window's last step. */
  learning_rate: number[];
  /** Gradient norm (before clipping) of the window's last step. */
  grad_norm: number[];
  /** Optimizer step of each entry. */
  step: number[];
  /** Steps skipped in each entry's window (only with `skip_nonfinite_steps`). */
  skipped_steps?: number[];
  /** Every record, in the order they were made (as the callback received them). */
  records: LogRecord[];
}

/** The columns a reference-free trainer's history has at least: the loop's and the reward margin. */
export interface MarginHistoryColumns extends LoopHistoryColumns {
  /** Mean `chosen_reward − rejected_reward` of each logging window (the result's `final_reward_margin` is the last). */
  reward_margin: number[];
}

/**
 * The history of a `CPOTrainer` run in columns: the specification's four (`train_loss`, `chosen_rewards`,
 * `rejected_rewards`, `reward_margin`) first, then the other metrics and the loop's columns.
 */
export interface CPOHistory extends LoopHistoryColumns {
  /** Mean reward of the chosen responses, `β·log π_θ(y_c|x)` (length-averaged for `ipo`, `simpo`, and in ORPO). */
  chosen_rewards: number[];
  /** Mean reward of the rejected responses. */
  rejected_rewards: number[];
  /** Mean `chosen_reward − rejected_reward`. */
  reward_margin: number[];
  /** Share of pairs with a positive margin. */
  reward_accuracy: number[];
  /** Mean `log π_θ(y_c|x)` as the loss sees it (summed, or averaged per token). */
  chosen_logps: number[];
  /** Mean `log π_θ(y_r|x)`, likewise. */
  rejected_logps: number[];
  /** Mean negative log-likelihood per token of the chosen responses (TRL's `nll_loss`). */
  nll_loss: number[];
}

/** The history of an `ORPOTrainer` run: CPO's columns plus TRL's two odds-ratio metrics. */
export interface ORPOHistory extends CPOHistory {
  /** Mean `log σ(log odds(y_c|x) − log odds(y_r|x))` = −L_OR (TRL's `log_odds_ratio`). */
  log_odds_ratio: number[];
  /** Mean `log odds(y_c|x) − log odds(y_r|x)` (TRL's `log_odds_chosen`). */
  log_odds_chosen: number[];
}

/** What `huan_luyen` of `ORPOTrainer` and `CPOTrainer` resolves to: exactly the specification's keys. */
export interface PreferenceResult<THistory> {
  /** Total time of the run in seconds (tổng thời gian). */
  tong_thoi_gian: number;
  /** Whole epochs completed (số epoch). */
  so_epoch: number;
  /** Optimizer steps done. */
  global_step: number;
  /** Smallest logged train loss (NaN when nothing was logged). */
  train_loss_min: number;
  /** chosen_reward − rejected_reward, mean over the last logging window (NaN when nothing was logged). */
  final_reward_margin: number;
  /** Per logging window: the specification's columns and the trainer's own (the same object `lay_lich_su()` returns). */
  history: THistory;
}

/**
 * The named columns of the base's history, in the specification's order: loss, the given metric columns, then
 * learning rate, gradient norm, step, skipped steps and the records. Fresh arrays (callers may change them).
 *
 * @example
 * ```ts
 * const h = historyColumns(progress.history, ['chosen_rewards', 'nll_loss']);
 * ```
 */
export function historyColumns<TName extends string>(
  h: TrainingHistory,
  names: readonly TName[],
): Record<TName, number[]> & LoopHistoryColumns {
  const columns = Object.fromEntries(names.map((n) => [n, [...(h.metrics[n] ?? [])]])) as Record<TName, number[]>;
  return {
    train_loss: [...h.train_loss],
    ...columns,
    learning_rate: [...h.learning_rate],
    grad_norm: [...h.grad_norm],
    step: [...h.step],
    ...(h.skipped_steps ? { skipped_steps: [...h.skipped_steps] } : {}),
    records: h.records.map((r) => ({ ...r, metrics: { ...r.metrics } })),
  };
}
