import type { LogRecord, TrainingHistory } from '@rlhf/core';

/** The history of a KTO run in columns: the specification's four keys first, then KTO's and the loop's. */
export interface KTOHistory {
  /** Mean loss per example of each logging window. */
  train_loss: number[];
  /** Mean implied reward `β·(log π_θ(y|x) − log π_ref(y|x))` of the window's desirable examples (TRL's `rewards/chosen`; NaN when it had none). */
  chosen_rewards: number[];
  /** Mean implied reward of the window's undesirable examples (TRL's `rewards/rejected`). */
  rejected_rewards: number[];
  /** `chosen_rewards − rejected_rewards` (TRL's `rewards/margins`). */
  reward_margin: number[];
  /** Mean KL reference point z₀ of the window's micro-batches (TRL's `kl`; 0 for `apo_zero_unpaired`). */
  kl: number[];
  /** Mean `log π_θ(y|x)` of the desirable completions (TRL's `logps/chosen`). */
  chosen_logps: number[];
  /** Mean `log π_θ(y|x)` of the undesirable completions (TRL's `logps/rejected`). */
  rejected_logps: number[];
  /** Desirable examples in the window (TRL's `count/chosen`). */
  desirable_count: number[];
  /** Undesirable examples in the window (TRL's `count/rejected`). */
  undesirable_count: number[];
  /** Learning rate of the window's last step. */
  learning_rate: number[];
  /** Gradient norm (before clipping) of the window's last step. */
  grad_norm: number[];
  /** Optimizer step of each entry. */
  step: number[];
  /** Steps skipped in each entry's window (only with `skip_nonfinite_steps`). */
  skipped_steps?: number[];
  /** Every record, in order, with TRL's metric names (as the callback received them). */
  records: LogRecord[];
}

const ratio = (sum: number | undefined, count: number | undefined) =>
  sum === undefined || !count ? Number.NaN : sum / count;

/**
 * A train record of the loop (per-class sums) as TRL logs it: `rewards/chosen`, `rewards/rejected`,
 * `rewards/margins`, `logps/chosen`, `logps/rejected` (means over the window's examples of that class — TRL's
 * `KTOTrainer.log`: `Σ …_sum / Σ count`), `kl`, `count/chosen`, `count/rejected`. Other records are copied.
 *
 * @example
 * ```ts
 * ktoRecord(record).metrics['rewards/margins'];
 * ```
 */
export function ktoRecord(record: LogRecord): LogRecord {
  if (record.kind !== 'train' || !('count/chosen' in record.metrics))
    return { ...record, metrics: { ...record.metrics } };
  const m = record.metrics;
  const chosen = ratio(m['rewards/chosen_sum'], m['count/chosen']);
  const rejected = ratio(m['rewards/rejected_sum'], m['count/rejected']);
  return {
    ...record,
    metrics: {
      'rewards/chosen': chosen,
      'rewards/rejected': rejected,
      'rewards/margins': chosen - rejected,
      'logps/chosen': ratio(m['logps/chosen_sum'], m['count/chosen']),
      'logps/rejected': ratio(m['logps/rejected_sum'], m['count/rejected']),
      kl: m.kl ?? Number.NaN,
      'count/chosen': m['count/chosen'] ?? 0,
      'count/rejected': m['count/rejected'] ?? 0,
    },
  };
}

/**
 * The columns of a KTO run from the base's history (one builder for `result.history` and `lay_lich_su()`).
 *
 * @example
 * ```ts
 * const history = ktoHistory(progress.history); // { train_loss, chosen_rewards, ..., records }
 * ```
 */
export function ktoHistory(h: TrainingHistory): KTOHistory {
  const records = h.records.map(ktoRecord);
  const train = records.filter((r) => r.kind === 'train');
  const column = (name: string) => train.map((r) => r.metrics[name] ?? Number.NaN);
  return {
    train_loss: [...h.train_loss],
    chosen_rewards: column('rewards/chosen'),
    rejected_rewards: column('rewards/rejected'),
    reward_margin: column('rewards/margins'),
    kl: column('kl'),
    chosen_logps: column('logps/chosen'),
    rejected_logps: column('logps/rejected'),
    desirable_count: column('count/chosen'),
    undesirable_count: column('count/rejected'),
    learning_rate: [...h.learning_rate],
    grad_norm: [...h.grad_norm],
    step: [...h.step],
    ...(h.skipped_steps ? { skipped_steps: [...h.skipped_steps] } : {}),
    records,
  };
}
