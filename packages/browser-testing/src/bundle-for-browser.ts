import { build, type Plugin } from 'esbuild';

/** Node's built-in modules, with or without the `node:` prefix: none may be on a browser path. */
const NODE_BUILTIN =
  /^(node:.*|fs|fs\/promises|path|os|crypto|url|module|zlib|http|https|net|child_process|worker_threads|stream|util|events|buffer|process)$/;

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
}

/**
 * Bundles an entry for browsers with esbuild as an application would (`platform: 'browser'`, so each
 * `@rlhf/*` package is taken through its `browser` export condition, from its built `dist`), and fails
 * with {@link NodeBuiltinInBrowserError} when anything on the way imports a Node built-in.
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
  { resolveDir = new URL('..', import.meta.url).pathname, minify = false, define = {} }: BundleForBrowserOptions = {},
): Promise<string> {
  const found: string[] = [];
  const noNode: Plugin = {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: NODE_BUILTIN }, (a) => {
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
