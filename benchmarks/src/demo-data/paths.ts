import { fileURLToPath } from 'node:url';

/**
 * The repository root, resolved from this file (it sits two folders below `benchmarks/`, in `src/` as
 * TypeScript and in `dist/` once built), so the demo-data scripts run from any working directory.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Absolute path of a repository-relative path. */
export function repoPath(relative: string): string {
  return `${REPO_ROOT}${relative}`;
}

/**
 * The demo variant these scripts write and check: the English stories bundle. The Vietnamese bundle
 * (`data/demo/vi/`, its own model) is written and tested in `packages/cli/src/vi-demo/`.
 */
export type DemoVariant = 'en';

/** Repository-relative folder of a variant's bundle, e.g. `data/demo/en`. */
export function demoDir(variant: DemoVariant): string {
  return `data/demo/${variant}`;
}
