/**
 * `@rlhf/pipeline/testing`: the trainer-parity suite every backend package runs (SFT, DPO and reward-model
 * histories on the backend under test equal backend-js's).
 *
 * @packageDocumentation
 */

export { describeTrainerParity, type TrainerParitySetup } from './trainer-parity.js';
