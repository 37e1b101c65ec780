import { ConfigError } from '@rlhf/core';
import type { PipelineOptions } from './pipeline-config.js';
import { StageStore } from './stage-store.js';

/** The Node-only entry of core that holds the file storage (loaded only when a directory is asked for). */
const CORE_NODE_ENTRY = '@rlhf/core/node';

/**
 * The store of finished stages: `stage_storage` when given, else `<output_dir>/stages` on disk (Node),
 * else none (stages are not kept and `resume` has nothing to read).
 *
 * @example
 * ```ts
 * const store = await openStageStore(resolvePipelineConfig({ output_dir: 'runs/demo' }));
 * ```
 */
export async function openStageStore(
  o: Pick<PipelineOptions, 'stage_storage' | 'output_dir' | 'resume'>,
): Promise<StageStore | null> {
  if (o.stage_storage) return new StageStore(o.stage_storage);
  if (o.output_dir === null) {
    if (o.resume) throw new ConfigError('RLHFPipeline', 'resume', true, 'output_dir or stage_storage to resume from');
    return null;
  }
  const node = (await import(/* @vite-ignore */ CORE_NODE_ENTRY)) as typeof import('@rlhf/core/node');
  const storage = new node.FileCheckpointStorage(`${o.output_dir}/stages`);
  await storage.prepare(); // removes what a killed run left half-written
  return new StageStore(storage);
}
