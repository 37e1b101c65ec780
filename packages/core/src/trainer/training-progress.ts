import { emptyHistory, type TrainingHistory } from './training-history.js';

/**
 * The live state of a run that `lay_lich_su()` and `thong_ke()` read while it trains (callbacks may call
 * them) and after it ends.
 */
export interface TrainingProgress {
  /** Every record logged so far (the history `lay_lich_su()` returns). */
  history: TrainingHistory;
  /** Optimizer steps done (including those before a resume). */
  global_step: number;
  /** Optimizer steps the run is planned for. */
  total_steps: number;
  /** Optimizer steps in one epoch. */
  steps_per_epoch: number;
  /** Whole epochs finished. */
  epochs_completed: number;
  /** Input tokens fed to the model (including those before a resume). */
  tokens_seen: number;
  /** Loss units seen (target tokens for SFT, pairs for DPO). */
  units_seen: number;
  /** Tokens and seconds of this session's optimizer steps (for tokens/s). */
  session_tokens: number;
  /** Seconds spent in this session's optimizer steps. */
  session_seconds: number;
  /** Steps skipped for a non-finite loss or gradient norm (`skip_nonfinite_steps`; including those before a resume). */
  skipped_steps: number;
  /** A callback returned false. */
  stopped_early: boolean;
  /** Checkpoint the run resumed from. */
  resumed_from: string | null;
  /** Checkpoints written by this run, in order. */
  checkpoints: string[];
}

/**
 * A fresh {@link TrainingProgress} (before training: everything zero, empty history).
 *
 * @example
 * ```ts
 * const progress = emptyProgress();
 * ```
 */
export function emptyProgress(): TrainingProgress {
  return {
    history: emptyHistory(),
    global_step: 0,
    total_steps: 0,
    steps_per_epoch: 0,
    epochs_completed: 0,
    tokens_seen: 0,
    units_seen: 0,
    session_tokens: 0,
    session_seconds: 0,
    skipped_steps: 0,
    stopped_early: false,
    resumed_from: null,
    checkpoints: [],
  };
}
