import { build, type Plugin } from 'esbuild';

/** Node's built-in modules, with or without the `node:` prefix: none may be on a browser path. */
const NODE_BUILTIN =
  /^(node:.*|fs|fs\/promises|path|os|crypto|url|module|zlib|http|https|net|child_process|worker_threads|stream|util|events|buffer|process)$/;

/**
 * Third-party files allowed to name a Node built-in on a browser path, because they guard it at run time
 * (a `require` inside `try`, or a Node-only platform class) and their own package.json `browser` field maps
 * it to `false`, which esbuild then bundles as an empty module: tfjs-core's Node platform (`util`) and
 * seedrandom (`crypto`, for autoseeding). An entry only matches a file under `node_modules/`, so our own
 * packages are always checked strictly.
 */
export const GUARDED_THIRD_PARTY_IMPORTERS: readonly string[] = Object.freeze([
  'node_modules/@tensorflow/tfjs-core/dist/platforms/platform_node.js',
  'node_modules/seedrandom/',
]);

/**
 * A module reached from a browser bundle that only Node has (`node:fs`, `path`, …): `importer` imports
 * it, by the package's `browser` export condition.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof NodeBuiltinInBrowserError) console.error(e.found); }
 * ```
 */
export class NodeBuiltinInBrowserError extends Error {
  readonly code = 'NODE_BUILTIN_IN_BROWSER';
  constructor(
    /** `specifier <- importer` for each one found. */
    readonly found: readonly string[],
  ) {
    super(`A browser bundle imports Node built-ins: ${found.join('; ')}.`);
    this.name = 'NodeBuiltinInBrowserError';
  }
}

/** Options of {@link bundleForBrowser}. */
export interface BundleForBrowserOptions {
  /** The directory bare imports resolve from (its node_modules). @defaultValue this package's */
  resolveDir?: string;
  /** Minify the output. @defaultValue false */
  minify?: boolean;
  /** Global names replaced by these JavaScript expressions (esbuild's `define`). */
  define?: Record<string, string>;
  /**
   * Third-party importers (path endings under `node_modules/`, a trailing `/` for a whole package) whose
   * Node built-ins are left to their package's `browser` field. @defaultValue {@link GUARDED_THIRD_PARTY_IMPORTERS}
   */
  guardedImporters?: readonly string[];
}

/** Whether `importer` is a third-party file on the allow-list (never a file outside `node_modules/`). */
function isGuarded(importer: string, allowed: readonly string[]): boolean {
  const path = importer.replaceAll('\\', '/');
  if (!path.includes('/node_modules/')) return false;
  return allowed.some((a) => (a.endsWith('/') ? path.includes(`/${a}`) : path.endsWith(`/${a}`)));
}

/**
 * Bundles an entry for browsers with esbuild as an application would (`platform: 'browser'`, so each
 * `@rlhf/*` package is taken through its `browser` export condition, from its built `dist`), and fails
 * with {@link NodeBuiltinInBrowserError} when anything on the way imports a Node built-in (apart from the
 * guarded third-party files of {@link GUARDED_THIRD_PARTY_IMPORTERS}, emptied by their own `browser` field).
 *
 * @returns the bundle's JavaScript (one ES module)
 *
 * @example
 * ```ts
 * const js = await bundleForBrowser({ file: 'src/pages/guide-page.ts' });
 * const js2 = await bundleForBrowser({ contents: "export * from '@rlhf/core';" });
 * ```
 */
export async function bundleForBrowser(
  entry: { file: string } | { contents: string },
  {
    resolveDir = new URL('..', import.meta.url).pathname,
    minify = false,
    define = {},
    guardedImporters = GUARDED_THIRD_PARTY_IMPORTERS,
  }: BundleForBrowserOptions = {},
): Promise<string> {
  const found: string[] = [];
  const noNode: Plugin = {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: NODE_BUILTIN }, (a) => {
        // Resolved by esbuild through the package's `browser` field (`false` → an empty module).
        if (isGuarded(a.importer, guardedImporters)) return undefined;
        found.push(`${a.path} <- ${a.importer}`);
        return { path: a.path, external: true };
      });
    },
  };
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir, loader: 'ts' as const } }),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    define,
    logLevel: 'silent',
    plugins: [noNode],
  });
  if (found.length > 0) throw new NodeBuiltinInBrowserError(found);
  return (result.outputFiles[0] as { text: string }).text;
}
