/**
 * `@rlhf/cpo`: reference-free preference optimisation — `ORPOTrainer` (odds-ratio preference optimisation:
 * SFT and preference in one stage) and `CPOTrainer` (CPO, and SimPO with `loss_type: 'simpo'`,
 * `cpo_alpha: 0`), as TRL's trainers of the same names, in the specification's style (`huan_luyen`, `lay_lich_su`,
 * `thong_ke`). Neither builds nor holds a reference model.
 *
 * @packageDocumentation
 */

export { CPO_DEFAULTS, type CPOConfig, type CPODefaults, type CPOOptions, cpoOptionSpecs } from './cpo-config.js';
export { CPO_METRICS, cpoTask } from './cpo-task.js';
export { type CPOResult, type CPOStats, CPOTrainer } from './cpo-trainer.js';
export { CPO_HINGE_LOSS, cpoHingeLoss } from './losses/cpo-hinge.js';
export { CPO_IPO_LOSS, cpoIpoLoss } from './losses/cpo-ipo.js';
export type { CpoLossDefinition, CpoLossFunction, CpoLossParams } from './losses/cpo-loss.js';
export { CPO_SIGMOID_LOSS, cpoSigmoidLoss } from './losses/cpo-sigmoid.js';
export { log1mexp, logOdds, MAX_ODDS_LOG_PROB } from './losses/log-odds.js';
export { type OrpoLossParts, orpoLoss } from './losses/odds-ratio.js';
export { CPO_LOSS_TYPES, CPO_LOSSES, type CpoLossType, cpoLoss } from './losses/registry.js';
export { SIMPO_LOSS, simpoLoss } from './losses/simpo.js';
export { ORPO_DEFAULTS, type ORPOConfig, type ORPODefaults, type ORPOOptions, orpoOptionSpecs } from './orpo-config.js';
export { ORPO_METRICS, orpoTask } from './orpo-task.js';
export { type ORPOResult, type ORPOStats, ORPOTrainer } from './orpo-trainer.js';
export { betaOption, checkPromptLength, pairDataOptionSpecs } from './pair-data-options.js';
export type { PolicyModel } from './policy-model.js';
export {
  type CPOHistory,
  historyColumns,
  type LoopHistoryColumns,
  type MarginHistoryColumns,
  type ORPOHistory,
  type PreferenceResult,
} from './preference-history.js';
export { type PairDataOptions, type PairDataStats, ReferenceFreeTrainer } from './reference-free-trainer.js';
export { type ResponseLogProbs, responseLogProbs } from './response-log-probs.js';
