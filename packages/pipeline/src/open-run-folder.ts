import type { OutputFolder } from '@rlhf/core/node';
import type { PipelineOptions } from './pipeline-config.js';

/** The Node-only entry of core that holds the output-folder rules (loaded only when a directory is used). */
const CORE_NODE_ENTRY = '@rlhf/core/node';

/**
 * Opens `output_dir` for a whole pipeline run (Node only; `null` without `output_dir`): validated, locked
 * against a second run, marked with a manifest, and on `resume` compared with the stored run's
 * `fingerprint` (see `openOutputFolder` of `@rlhf/core/node`). When the command line already opened the
 * folder, this only joins its lock.
 *
 * @example
 * ```ts
 * const folder = await openRunFolder(options, { config: '…sha256…' });
 * try { await run(); await folder?.finish(); } finally { folder?.release(); }
 * ```
 */
export async function openRunFolder(
  o: Pick<PipelineOptions, 'output_dir' | 'resume' | 'overwrite_output_dir'>,
  fingerprint: Record<string, string>,
): Promise<OutputFolder | null> {
  if (o.output_dir === null) return null;
  const node = (await import(/* @vite-ignore */ CORE_NODE_ENTRY)) as typeof import('@rlhf/core/node');
  return node.openOutputFolder(o.output_dir, {
    kind: 'pipeline',
    command: `RLHFPipeline.chay_day_du (output_dir ${o.output_dir})`,
    resume: o.resume,
    overwrite: o.overwrite_output_dir,
    fingerprint,
  });
}
