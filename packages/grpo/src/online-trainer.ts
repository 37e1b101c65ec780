import {
  AdamW,
  accumulateMetrics,
  appendRecord,
  BaseTrainer,
  CheckpointError,
  ConfigError,
  checkpointName,
  clipGradNorm,
  constantSchedule,
  cosineSchedule,
  decayGroups,
  detach,
  emptyProgress,
  exp,
  finishMetrics,
  InvalidArgumentError,
  type LogWindow,
  linearSchedule,
  logSoftmax,
  type Module,
  minOf,
  mul,
  NonFiniteError,
  type NonFiniteSite,
  neg,
  noGrad,
  Random,
  readCheckpoint,
  requireCallback,
  requireModel,
  requireTokenizer,
  resolveCheckpointing,
  restoreTensors,
  saveCheckpoint,
  sum,
  type Tensor,
  type TrainerCallback,
  type TrainerStateFile,
  type TrainingHistory,
  type TrainLogRecord,
  tensor,
  tidy,
} from '@rlhf/core';
import {
  attachLoraOption,
  type CausalLM,
  contextLength,
  createCausalLM,
  type LoraModel,
  type ModelConfig,
  safetensorsCodec,
  type Tokenizer,
} from '@rlhf/models';
import { unbiasedStd } from './advantages.js';
import type { GRPOOptions } from './online-config.js';
import type { OnlineHistory, OnlineOptions, OnlineResult, OnlineStats, RoundAdvantages } from './online-result.js';
import { type PromptData, preparePrompts } from './prompt-data.js';
import { namedRewards, type RewardFunction, scoreRewards } from './rewards/reward-function.js';
import {
  type Completion,
  type CompletionBatch,
  collateCompletions,
  completionLogProbs,
  frozenLogProbs,
  maskTensor,
  rowsOf,
  sampleCompletions,
} from './rollouts.js';
import { clippedSurrogate, rowsTensor, sequenceClippedSurrogate, tokenWeights } from './surrogate-loss.js';

/** One generation round: its completions and what every micro-batch needs. */
interface Round {
  completions: Completion[];
  /** Per micro-batch: completion indices. */
  micro: number[][];
  batches: CompletionBatch[];
  /** Per micro-batch: old-policy log-probs (N·T), or null (μ = 1: the detached current ones). */
  old: (Float32Array | null)[];
  /** Per micro-batch: reference log-probs (N·T), or null. */
  ref: (Float32Array | null)[];
  advantages: number[];
  /** Completion masks per micro-batch after `mask_truncated_completions`. */
  masks: number[][][];
  stepTokens: number;
  metrics: Record<string, number>;
}

/** Completion tokens of a round's batches (before `mask_truncated_completions`). */
function stepTokensOf(batches: readonly CompletionBatch[]): number {
  return batches.reduce((a, b) => a + b.maskRows.reduce((x, row) => x + row.reduce((u, v) => u + v, 0), 0), 0);
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function emptyWindow(): LogWindow {
  return { steps: 0, skipped: 0, gradNorm: null, lossSum: 0, units: 0, tokens: 0, seconds: 0, metrics: {} };
}

/** The reference's per-token log-probs (N·T) of a batch of completions. */
type ReferenceScorer = (batch: CompletionBatch) => Promise<Float32Array>;

/**
 * The part `GRPOTrainer` and `RLOOTrainer` share: the online loop. Each generation round takes
 * `kich_thuoc_batch × gradient_accumulation` prompts (shuffled each epoch by the run's seeded generator),
 * samples `num_generations` completions of each in one batched, KV-cached generation, scores them with
 * every reward function (weighted sum), computes advantages (the subclass's), scores the old policy
 * (μ > 1) and the reference (β ≠ 0) without the tape, then takes `num_iterations` optimizer steps on the
 * round, each over `gradient_accumulation` micro-batches (AdamW, clipping, schedule as the shared loop).
 * Checkpoints are written at the end of a round, so a resumed run repeats exactly what an unbroken one does.
 */
export abstract class OnlineTrainer<TOptions extends OnlineOptions> extends BaseTrainer<TOptions, OnlineHistory> {
  /** The LoRA adapters of the last run (with `lora` set), to merge or save them. */
  lora: LoraModel | null = null;
  private info = {
    prompts: 0,
    truncatedPrompts: 0,
    completions: 0,
    generatedTokens: 0,
    generationSeconds: 0,
    trainingTokens: 0,
    trainingSeconds: 0,
    rewardNames: [] as string[],
    reference: null as 'ref_model' | 'frozen_copy' | 'adapters_disabled' | null,
  };

  /** Advantages of a round from its total rewards (N = prompts × G), and the KL-shaped rewards for RLOO. */
  protected abstract advantagesOf(rewards: number[], seqKl: number[] | null): RoundAdvantages;

  /** Whether the loss is RLOO's sequence-level one. */
  protected abstract readonly sequenceLevel: boolean;

  /** Whether the reference log-probs are needed (β ≠ 0). */
  protected needsReference(): boolean {
    return this.options.beta !== 0;
  }

  /**
   * Trains (huấn luyện) `model` online: samples completions of `prompts`, scores them with `reward_funcs`,
   * and follows the advantage with the clipped surrogate.
   *
   * @param model - the policy π_θ, trained in place (it starts as given: usually the SFT model).
   * @param ref_model - the frozen reference π_ref for the KL term; `null` = a frozen copy of `model` as it
   *   is now (made only when β ≠ 0), or with `lora` the model with its adapters disabled (no copy).
   * @param prompts - prompt strings or `{ prompt }` records.
   * @param reward_funcs - reward functions `(prompts, completions) => number[]` (sync or async), weighted by
   *   `reward_weights`; a reward model enters through `rewardModelReward(rm)`.
   * @param tokenizer - defaults to the model's own.
   * @param callback - called with every logged record; returning `false` stops after the current round.
   * @returns the result object.
   */
  async huan_luyen(
    model: CausalLM,
    ref_model: CausalLM | null,
    prompts: PromptData,
    reward_funcs: readonly RewardFunction[],
    tokenizer: Tokenizer | null = null,
    callback: TrainerCallback | null = null,
  ): Promise<OnlineResult> {
    const started = now();
    const method = `${this.owner}.huan_luyen`;
    requireModel(method, 'model', model);
    if (ref_model !== null && ref_model !== undefined) requireModel(method, 'ref_model', ref_model);
    if (ref_model === model)
      throw new InvalidArgumentError(
        method,
        'ref_model',
        'the policy model',
        'must be a separate model (pass null for a frozen copy of the policy)',
      );
    requireTokenizer(method, 'tokenizer', tokenizer);
    requireCallback(method, 'callback', callback);
    const tok = tokenizer ?? model.tokenizer ?? null;
    if (!tok)
      throw new InvalidArgumentError(
        method,
        'tokenizer',
        'null',
        'is needed: the model has no tokenizer to decode completions with',
      );
    const rewards = namedRewards(method, reward_funcs);
    const o = this.options;
    const weights = o.reward_weights ?? rewards.map(() => 1);
    if (weights.length !== rewards.length)
      throw new ConfigError(
        this.owner,
        'reward_weights',
        weights,
        `a list of ${rewards.length} weights, one per reward function`,
      );
    const prepared = preparePrompts(prompts, tok as Tokenizer, o.max_prompt_length);
    this.info = {
      prompts: prepared.texts.length,
      truncatedPrompts: prepared.truncated,
      completions: 0,
      generatedTokens: 0,
      generationSeconds: 0,
      trainingTokens: 0,
      trainingSeconds: 0,
      rewardNames: rewards.map((r) => r.name),
      reference: null,
    };
    const longestPrompt = Math.max(...prepared.ids.map((p) => p.length));
    const maxNew = Math.min(
      o.max_completion_length,
      o.max_seq_length - longestPrompt,
      contextLength(model) - longestPrompt,
    );
    if (maxNew < 1)
      throw new ConfigError(
        this.owner,
        'max_prompt_length',
        o.max_prompt_length,
        `prompts that leave room for a completion under max_seq_length (${o.max_seq_length}) and the model's context`,
      );
    this.checkBackend(model);
    const { storage, resume, release } = await resolveCheckpointing(this.owner, o);
    const padId = tok?.padTokenId ?? 0;
    const eos = tok?.eosTokenId;
    const decode = (ids: number[]) => (tok as Tokenizer).decode(ids, { skipSpecialTokens: true });
    const rng = new Random(o.seed);
    let ref: ReferenceScorer | null = null;
    let ownsRef: CausalLM | null = null;
    let optimizer: AdamW | null = null;
    try {
      // Inside the try: a LoRA config refused here still releases the checkpoint folder.
      const lora = attachLoraOption(model as unknown as Module, o.lora, rng);
      this.lora = lora;
      if (this.needsReference()) {
        if (ref_model) {
          ref = (batch) => frozenLogProbs(ref_model, batch);
          this.info.reference = 'ref_model';
        } else if (lora) {
          ref = (batch) => frozenLogProbs(model, batch, (record) => lora.withAdaptersDisabled(record));
          this.info.reference = 'adapters_disabled';
        } else {
          // The reference is the policy as given, copied before any checkpoint is restored into it.
          const copy = createCausalLM(model.backend, model.config as ModelConfig, new Random(0));
          copy.copyParametersFrom(model as unknown as Module);
          copy.setRequiresGrad(false);
          copy.eval();
          ownsRef = copy;
          ref = (batch) => frozenLogProbs(copy, batch);
          this.info.reference = 'frozen_copy';
        }
      }
      const adamw = new AdamW(decayGroups(model as unknown as Module, o.weight_decay), {
        lr: o.toc_do_hoc,
        weightDecay: o.weight_decay,
      });
      optimizer = adamw;
      const progress = emptyProgress();
      this.progress = progress;
      this.runInfo.trainable = model.parameterCount(true);
      this.runInfo.total = model.parameterCount();
      this.runInfo.backend = model.backend.name;
      this.runInfo.examples = prepared.texts.length;
      const n = prepared.texts.length;
      const perRound = o.kich_thuoc_batch * o.gradient_accumulation;
      const roundsPerEpoch = Math.ceil(n / perRound);
      const mu = o.num_iterations;
      const stepsPerEpoch = roundsPerEpoch * mu;
      const totalSteps = o.max_steps > 0 ? o.max_steps : o.so_vong * stepsPerEpoch;
      const make = { linear: linearSchedule, cosine: cosineSchedule, constant: constantSchedule }[o.lr_scheduler_type];
      const lrAt = make({ lr: o.toc_do_hoc, warmupSteps: Math.ceil(o.warmup_ratio * totalSteps), totalSteps });
      progress.total_steps = totalSteps;
      progress.steps_per_epoch = stepsPerEpoch;
      let epochIndex = 0;
      let roundInEpoch = 0;
      let order: number[] | null = null;
      let window = emptyWindow();
      if (resume) {
        const ckpt = await readCheckpoint(resume.storage, resume.name, safetensorsCodec);
        const s = ckpt.state;
        if (s.train_examples !== n || s.steps_per_epoch !== stepsPerEpoch) {
          throw new CheckpointError(
            resume.name,
            `was written for ${s.train_examples} prompts in ${s.steps_per_epoch} steps per epoch; this run has ${n} in ${stepsPerEpoch} (the same prompts, kich_thuoc_batch, gradient_accumulation and num_iterations are needed to resume)`,
          );
        }
        restoreTensors(ckpt, model as unknown as Module, adamw);
        rng.setState(s.rng);
        epochIndex = s.epoch_index;
        roundInEpoch = s.step_in_epoch;
        order = s.epoch_order;
        window = s.window;
        progress.history = s.history;
        progress.global_step = s.global_step;
        progress.epochs_completed = s.epoch_index;
        progress.tokens_seen = s.counters.tokens_seen;
        progress.units_seen = s.counters.units_seen;
        progress.skipped_steps = s.counters.skipped_steps ?? 0;
        progress.resumed_from = resume.name;
      }
      const stateFile = (): TrainerStateFile => ({
        format: 'rlhf-trainer-state',
        version: 1,
        owner: this.owner,
        global_step: progress.global_step,
        epoch_index: epochIndex,
        step_in_epoch: roundInEpoch,
        epoch_order: order,
        total_steps: totalSteps,
        steps_per_epoch: stepsPerEpoch,
        train_examples: n,
        rng: rng.getState(),
        optimizer_step: adamw.stepCount,
        window,
        history: progress.history,
        counters: {
          tokens_seen: progress.tokens_seen,
          units_seen: progress.units_seen,
          skipped_steps: progress.skipped_steps,
        },
      });
      model.train();
      let keepGoing = true;
      while (keepGoing && progress.global_step < totalSteps) {
        if (order === null) order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
        const chosen = order.slice(roundInEpoch * perRound, (roundInEpoch + 1) * perRound);
        const roundIndex = epochIndex * roundsPerEpoch + roundInEpoch;
        const round = await this.makeRound(model, ref, chosen, prepared, rewards, weights, {
          maxNew,
          padId,
          eos,
          decode,
          seed: (o.seed * 1_000_003 + roundIndex) % 2_147_483_647,
          step: progress.global_step + 1,
        });
        let saveDue = false;
        try {
          for (let it = 0; it < mu && progress.global_step < totalSteps && keepGoing; it++) {
            const t0 = now();
            const lr = lrAt(progress.global_step);
            const stepNumber = progress.global_step + 1;
            const { loss, microLosses, sums, tokens } = await this.trainStep(model, round);
            // A non-finite loss or gradient norm stops the run before the update (or, with
            // `skip_nonfinite_steps`, skips the step: no update, gradients dropped, counted), as the shared loop.
            const badMicro = microLosses.findIndex((l) => !Number.isFinite(l));
            let bad: NonFiniteSite | null =
              badMicro < 0
                ? null
                : {
                    owner: this.owner,
                    step: stepNumber,
                    quantity: 'loss',
                    value: microLosses[badMicro] as number,
                    microBatch: { index: badMicro + 1, of: microLosses.length },
                  };
            let gradNorm = Number.NaN;
            if (bad === null) {
              const params = model.parameters().filter((p) => p.requiresGrad);
              const normTensor = clipGradNorm(params, o.gradient_clip);
              gradNorm = await normTensor.item();
              normTensor.dispose();
              if (!Number.isFinite(gradNorm))
                bad = { owner: this.owner, step: stepNumber, quantity: 'gradient norm', value: gradNorm };
            }
            if (bad !== null && !o.skip_nonfinite_steps) throw new NonFiniteError(bad);
            if (bad === null) adamw.step(lr);
            adamw.zeroGrad();
            progress.global_step++;
            if (bad !== null) {
              // A skipped step adds nothing to the loss, tokens and metrics of the window.
              progress.skipped_steps++;
              window.steps++;
              window.skipped++;
            } else {
              const seconds = (now() - t0) / 1000;
              this.info.trainingTokens += tokens;
              this.info.trainingSeconds += seconds;
              progress.tokens_seen += tokens;
              progress.units_seen += round.completions.length;
              progress.session_tokens += tokens;
              progress.session_seconds += seconds;
              const scoredTokens = Math.max(round.stepTokens, 1);
              const clipUnits = this.sequenceLevel ? round.completions.length : scoredTokens;
              const stepMetrics: Record<string, number> = {
                ...round.metrics,
                // RLOO's KL is the reward penalty's (of the sampling policy), measured when the round was made.
                kl: this.sequenceLevel ? (round.metrics.kl ?? 0) : sums.kl / scoredTokens,
                entropy: sums.entropy / scoredTokens,
                'clip_ratio/low_mean': sums.low / clipUnits,
                'clip_ratio/high_mean': sums.high / clipUnits,
                'clip_ratio/region_mean': (sums.low + sums.high) / clipUnits,
                num_tokens: progress.tokens_seen,
              };
              window.steps++;
              window.units++;
              window.tokens += tokens;
              window.seconds += seconds;
              window.lossSum += loss;
              window.gradNorm = gradNorm;
              accumulateMetrics(
                window.metrics,
                Object.fromEntries(
                  Object.entries(stepMetrics).map(([k, v]) => [
                    k,
                    { reduce: k === 'num_tokens' ? 'max' : 'mean', value: v },
                  ]),
                ) as LogWindow['metrics'],
              );
            }
            if (o.save_steps > 0 && progress.global_step % o.save_steps === 0) saveDue = true;
            const last = progress.global_step === totalSteps;
            if (progress.global_step % o.logging_steps === 0 || last) {
              const record: TrainLogRecord = {
                kind: 'train',
                step: progress.global_step,
                epoch: progress.global_step / stepsPerEpoch,
                loss: window.units > 0 ? window.lossSum / window.units : Number.NaN,
                learning_rate: lr,
                grad_norm: window.gradNorm ?? Number.NaN,
                tokens_per_second: window.seconds > 0 ? window.tokens / window.seconds : 0,
                metrics: finishMetrics(window.metrics, window.units),
                ...(o.skip_nonfinite_steps ? { skipped_steps: window.skipped } : {}),
              };
              window = emptyWindow();
              appendRecord(progress.history, record);
              if (callback && (await callback(record, progress)) === false) keepGoing = false;
            }
          }
        } finally {
          // The round's host-built tensors (ids, masks, labels) are freed with it.
          for (const b of round.batches) for (const t of [b.inputIds, b.attentionMask, b.labels]) t.dispose();
        }
        roundInEpoch++;
        if (roundInEpoch === roundsPerEpoch) {
          epochIndex++;
          roundInEpoch = 0;
          order = null;
          progress.epochs_completed = epochIndex;
        }
        const last = progress.global_step >= totalSteps;
        if (storage && (saveDue || last || !keepGoing)) {
          const name = checkpointName(progress.global_step);
          await saveCheckpoint(storage, name, safetensorsCodec, model as unknown as Module, adamw, stateFile());
          progress.checkpoints.push(name);
        }
        if (!keepGoing) progress.stopped_early = true;
      }
    } finally {
      optimizer?.dispose();
      model.zeroGrad();
      ownsRef?.dispose();
      release();
      this.runInfo.seconds = (now() - started) / 1000;
    }
    const history = this.buildHistory(this.progress.history);
    return {
      tong_thoi_gian: this.runInfo.seconds,
      so_epoch: this.progress.epochs_completed,
      global_step: this.progress.global_step,
      train_loss_min: minOf(history.train_loss) ?? Number.NaN,
      initial_reward: history.reward[0] ?? Number.NaN,
      final_reward: history.reward[history.reward.length - 1] ?? Number.NaN,
      history,
    };
  }

  /** Samples, scores and prepares one round (everything host-side or off the tape). */
  private async makeRound(
    model: CausalLM,
    ref: ReferenceScorer | null,
    chosen: number[],
    prepared: { texts: string[]; ids: number[][] },
    rewards: ReturnType<typeof namedRewards>,
    weights: number[],
    r: {
      maxNew: number;
      padId: number;
      eos: number | undefined;
      decode: (ids: number[]) => string;
      seed: number;
      step: number;
    },
  ): Promise<Round> {
    const o = this.options;
    const g = o.num_generations;
    const t0 = now();
    const completions = await sampleCompletions(
      model,
      chosen.map((i) => prepared.ids[i] as number[]),
      chosen,
      r.decode,
      {
        numGenerations: g,
        maxNewTokens: r.maxNew,
        temperature: o.temperature,
        topP: o.top_p,
        topK: o.top_k,
        seed: r.seed,
        eosTokenId: r.eos,
        padTokenId: r.padId,
      },
    );
    this.info.generationSeconds += (now() - t0) / 1000;
    this.info.completions += completions.length;
    this.info.generatedTokens += completions.reduce((a, c) => a + c.ids.length, 0);
    // Rewards: every function on the whole round, then the weighted sum (TRL: Σ_k w_k · r_k).
    const promptTexts = completions.map((c) => prepared.texts[c.promptIndex] as string);
    const perFunction = await scoreRewards(
      this.owner,
      rewards,
      promptTexts,
      completions.map((c) => c.text),
      r.step,
    );
    const total = completions.map((_, i) =>
      perFunction.reduce((a, values, k) => a + (weights[k] as number) * (values[i] as number), 0),
    );
    // Micro-batches: kich_thuoc_batch prompts (× G completions) each.
    const micro: number[][] = [];
    for (let s = 0; s < completions.length; s += o.kich_thuoc_batch * g)
      micro.push(Array.from({ length: Math.min(o.kich_thuoc_batch * g, completions.length - s) }, (_, k) => s + k));
    const batches = micro.map((idx) =>
      collateCompletions(
        model.backend,
        idx.map((i) => completions[i] as Completion),
        r.padId,
      ),
    );
    const needOld = o.num_iterations > 1 || (this.sequenceLevel && o.beta !== 0);
    const old: (Float32Array | null)[] = [];
    const refs: (Float32Array | null)[] = [];
    for (const batch of batches) {
      old.push(needOld ? await frozenLogProbs(model, batch) : null);
      refs.push(ref ? await ref(batch) : null);
    }
    // RLOO's KL-shaped reward needs Σ_t (old − ref) per completion (k1, TRL v1.0 rloo_trainer.py).
    let seqKl: number[] | null = null;
    if (this.sequenceLevel && ref) {
      seqKl = [];
      batches.forEach((batch, k) => {
        const t = batch.completionWidth;
        const o1 = old[k] as Float32Array;
        const r1 = refs[k] as Float32Array;
        batch.maskRows.forEach((row, i) => {
          let s = 0;
          row.forEach((m, j) => {
            if (m) s += (o1[i * t + j] as number) - (r1[i * t + j] as number);
          });
          (seqKl as number[]).push(s);
        });
      });
    }
    const { advantages, metrics } = this.advantagesOf(total, seqKl);
    if (seqKl) metrics.kl = seqKl.reduce((a, b) => a + b, 0) / Math.max(stepTokensOf(batches), 1);
    const masks = batches.map((batch, k) =>
      batch.maskRows.map((row, i) => {
        const c = completions[(micro[k] as number[])[i] as number] as Completion;
        return o.mask_truncated_completions && c.truncated ? row.map(() => 0) : row;
      }),
    );
    const stepTokens = masks.reduce((a, m) => a + m.reduce((b, row) => b + row.reduce((x, y) => x + y, 0), 0), 0);
    const groups: number[][] = [];
    for (let s = 0; s < total.length; s += g) groups.push(total.slice(s, s + g));
    const roundMetrics: Record<string, number> = {
      ...metrics,
      reward: total.reduce((a, b) => a + b, 0) / total.length,
      // TRL logs GRPO's mean within-group std, and RLOO's std over the whole batch (of the weighted rewards).
      reward_std: this.sequenceLevel
        ? unbiasedStd(total)
        : groups.reduce((a, grp) => a + unbiasedStd(grp), 0) / groups.length,
      'completions/mean_length': completions.reduce((a, c) => a + c.ids.length, 0) / completions.length,
      'completions/clipped_ratio': completions.filter((c) => c.truncated).length / completions.length,
    };
    rewards.forEach(({ name }, k) => {
      const values = perFunction[k] as number[];
      roundMetrics[`rewards/${name}/mean`] = values.reduce((a, b) => a + b, 0) / values.length;
      roundMetrics[`rewards/${name}/std`] = unbiasedStd(values);
    });
    return { completions, micro, batches, old, ref: refs, advantages, masks, stepTokens, metrics: roundMetrics };
  }

  /** One optimizer step's forward and backward over the round's micro-batches (gradients accumulate). */
  private async trainStep(
    model: CausalLM,
    round: Round,
  ): Promise<{
    loss: number;
    microLosses: number[];
    sums: { kl: number; entropy: number; low: number; high: number };
    tokens: number;
  }> {
    const o = this.options;
    const params = { epsilon: o.epsilon, epsilonHigh: o.epsilon_high ?? o.epsilon, beta: o.beta };
    const sums = { kl: 0, entropy: 0, low: 0, high: 0 };
    let loss = 0;
    const microLosses: number[] = [];
    let tokens = 0;
    const backend = model.backend;
    const lossType = 'loss_type' in o ? (o as GRPOOptions).loss_type : 'dapo';
    for (const [k, batch] of round.batches.entries()) {
      const idx = round.micro[k] as number[];
      const masks = round.masks[k] as number[][];
      const nRows = idx.length;
      const t = batch.completionWidth;
      for (const i of idx)
        tokens += (round.completions[i] as Completion).prompt.length + (round.completions[i] as Completion).ids.length;
      const values = tidy(() => {
        const scores = completionLogProbs(model, batch); // logps (N, T) on the tape, logits (N, T, V)
        const oldRows = round.old[k];
        const refRows = round.ref[k];
        // μ = 1: π_old is the policy itself, detached (ratio 1, gradient A·∇log π), as TRL.
        const oldT: Tensor = oldRows ? rowsOf(backend, oldRows, nRows, t) : detach(scores.logps);
        const mask = rowsTensor(backend, masks);
        const adv = tensor(
          backend,
          idx.map((i) => round.advantages[i] as number),
          [nRows],
        );
        const out = this.sequenceLevel
          ? sequenceClippedSurrogate(scores.logps, oldT, adv, mask, round.completions.length, params)
          : clippedSurrogate(
              {
                logps: scores.logps,
                oldLogps: oldT,
                refLogps: refRows ? rowsOf(backend, refRows, nRows, t) : null,
                advantages: adv,
                mask,
                weights: tensor(
                  backend,
                  tokenWeights(masks, lossType, {
                    sequences: round.completions.length,
                    tokens: round.stepTokens,
                    microBatches: round.batches.length,
                    maxCompletionLength: o.max_completion_length,
                  }),
                  [nRows, t],
                ),
              },
              params,
            );
        out.loss.backward();
        // Entropy of the policy at each completion token, −Σ_v p log p (TRL logs its masked mean), off the tape.
        const entropy = noGrad(() => {
          const lsm = logSoftmax(scores.logits); // (N, T, V)
          const h = neg(sum(mul(exp(lsm), lsm), -1)); // (N, T)
          return sum(mul(h, maskTensor(backend, batch)));
        });
        return [detach(out.loss), out.klSum, out.lowClipped, out.highClipped, entropy];
      });
      const [l, kl, low, high, ent] = await Promise.all(values.map((v) => v.item()));
      for (const v of values) v.dispose();
      loss += l as number;
      microLosses.push(l as number);
      sums.kl += kl as number;
      sums.low += low as number;
      sums.high += high as number;
      sums.entropy += ent as number;
    }
    return { loss, microLosses, sums, tokens };
  }

  /** The history of `result.history` and `lay_lich_su()`. */
  protected buildHistory(h: TrainingHistory): OnlineHistory {
    const column = (name: string) => [...(h.metrics[name] ?? [])];
    const metrics: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(h.metrics)) metrics[k] = [...v];
    return {
      train_loss: [...h.train_loss],
      reward: column('reward'),
      reward_std: column('reward_std'),
      kl: column('kl'),
      entropy: column('entropy'),
      clip_ratio: column('clip_ratio/region_mean'),
      completion_length: column('completions/mean_length'),
      learning_rate: [...h.learning_rate],
      grad_norm: [...h.grad_norm],
      step: [...h.step],
      metrics,
      records: h.records.map((r) => ({ ...r, metrics: { ...r.metrics } })),
    };
  }

  /**
   * Statistics (thống kê) of the last run: the shared ones plus prompts, completions, generated tokens and
   * the tokens/s of the generation and training phases separately.
   *
   * @example
   * ```ts
   * const { generation_tokens_per_second, training_tokens_per_second } = trainer.thong_ke();
   * ```
   */
  thong_ke(): OnlineStats {
    const i = this.info;
    return {
      ...this.baseStats(),
      prompts: i.prompts,
      truncated_prompts: i.truncatedPrompts,
      completions: i.completions,
      generated_tokens: i.generatedTokens,
      generation_seconds: i.generationSeconds,
      training_seconds: i.trainingSeconds,
      generation_tokens_per_second: i.generationSeconds > 0 ? i.generatedTokens / i.generationSeconds : 0,
      training_tokens_per_second: i.trainingSeconds > 0 ? i.trainingTokens / i.trainingSeconds : 0,
      reward_functions: [...i.rewardNames],
      reference: i.reference,
    };
  }
}
