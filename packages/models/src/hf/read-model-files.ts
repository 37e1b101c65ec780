import { type BackendChoice, type ByteSource, readSource, SourceReadError, toBackend } from '@rlhf/core';
import { ModelFileError } from '../errors/model-file-error.js';
import type { CausalLM } from '../pretrained/causal-lm.js';
import { modelFromContent } from '../pretrained/pretrained-io.js';
import { contentFromFiles } from './content-from-files.js';
import type { HfDirectoryContent } from './hf-directory-content.js';

/**
 * A Hugging Face model folder in a browser-safe form: the folder's URL (`config.json`, `model.safetensors`,
 * … are fetched beside it), the `File`s a person chose (an `<input type="file" webkitdirectory multiple>`'s
 * `FileList`, matched by file name), or a record of file name → URL / `Blob` / bytes.
 *
 * @example
 * ```ts
 * const a: ModelSource = '/models/stories260K/';
 * const b: ModelSource = input.files!;
 * const c: ModelSource = { 'config.json': configBytes, 'model.safetensors': weightBytes };
 * ```
 */
export type ModelSource = string | URL | ArrayLike<Blob> | Iterable<Blob> | Record<string, ByteSource>;

const REQUIRED = { 'config.json': 'to build the model', 'model.safetensors': "as it holds the model's weights" };
const OPTIONAL = ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json'] as const;

/** The file name → source table of a model source, and the folder name used in messages. */
function filesOf(source: ModelSource): { dir: string; at: (name: string) => ByteSource | undefined; url: boolean } {
  if (typeof source === 'string' || source instanceof URL) {
    const base = String(source).replace(/\/*$/, '/');
    return { dir: base.replace(/\/$/, ''), at: (name) => `${base}${name}`, url: true };
  }
  const list =
    typeof (source as Iterable<Blob>)[Symbol.iterator] === 'function'
      ? [...(source as Iterable<Blob>)]
      : typeof (source as ArrayLike<Blob>).length === 'number'
        ? Array.from(source as ArrayLike<Blob>)
        : null;
  if (list?.every((f) => typeof Blob !== 'undefined' && f instanceof Blob)) {
    const byName = new Map<string, Blob>();
    for (const f of list) {
      const path = String(
        (f as { webkitRelativePath?: string }).webkitRelativePath || (f as { name?: string }).name || '',
      );
      byName.set(path.split('/').pop() as string, f);
    }
    const first = String((list[0] as { webkitRelativePath?: string } | undefined)?.webkitRelativePath ?? '');
    return {
      dir: first.includes('/') ? (first.split('/')[0] as string) : 'the chosen files',
      at: (n) => byName.get(n),
      url: false,
    };
  }
  const record = source as Record<string, ByteSource>;
  return { dir: 'the given files', at: (n) => (Object.hasOwn(record, n) ? record[n] : undefined), url: false };
}

async function readJson(bytes: Uint8Array, path: string): Promise<unknown> {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ModelFileError(
      'MODEL_FILE_INVALID_JSON',
      path,
      `${path} is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Reads a Hugging Face model folder from URLs, `File`s or bytes into checked content (the browser's
 * `readHfDirectory`): `config.json` and `model.safetensors` are required; `tokenizer.json`,
 * `tokenizer_config.json`, `generation_config.json` are read when present (a URL answering 404 counts as
 * absent). Every file is checked as `contentFromFiles` does.
 *
 * @throws `ModelFileError` (`MODEL_FILE_MISSING` naming the file, `MODEL_FILE_INVALID_JSON`), the config
 * and safetensors errors of `contentFromFiles`, `SourceReadError` for a URL that fails otherwise.
 *
 * @example
 * ```ts
 * const content = await readModelFiles('/models/stories260K/');
 * ```
 */
export async function readModelFiles(
  source: ModelSource,
  { fetch: fetchImpl }: { fetch?: typeof fetch } = {},
): Promise<HfDirectoryContent> {
  const { dir, at, url } = filesOf(source);
  const path = (name: string) => `${dir}/${name}`;
  const read = async (name: string, optional: boolean): Promise<Uint8Array | undefined> => {
    const from = at(name);
    if (from === undefined) {
      if (optional) return undefined;
      throw new ModelFileError(
        'MODEL_FILE_MISSING',
        path(name),
        `Missing file ${name} in ${dir}: it is needed ${REQUIRED[name as keyof typeof REQUIRED]}.`,
      );
    }
    try {
      return await readSource(from, fetchImpl);
    } catch (error) {
      if (url && error instanceof SourceReadError && / 404/.test(error.message)) {
        if (optional) return undefined;
        throw new ModelFileError(
          'MODEL_FILE_MISSING',
          path(name),
          `Missing file ${path(name)} (HTTP 404): it is needed ${REQUIRED[name as keyof typeof REQUIRED]}.`,
          { cause: error },
        );
      }
      throw error;
    }
  };
  const config = await readJson((await read('config.json', false)) as Uint8Array, path('config.json'));
  const weights = (await read('model.safetensors', false)) as Uint8Array;
  const [tokenizerJson, tokenizerConfig, generationConfig] = await Promise.all(
    OPTIONAL.map(async (name) => {
      const bytes = await read(name, true);
      return bytes === undefined ? undefined : readJson(bytes, path(name));
    }),
  );
  return contentFromFiles({ config, weights, tokenizerJson, tokenizerConfig, generationConfig }, dir);
}

/**
 * Loads a causal LM from a Hugging Face model folder given as URLs, `File`s or bytes (see
 * {@link readModelFiles}) onto a backend (an object or a registered name). The browser's `loadModel`.
 *
 * @example
 * ```ts
 * import '@rlhf/backend-js';
 * const model = await loadModelFrom('/models/stories260K/', { backend: 'js' });
 * ```
 */
export async function loadModelFrom(
  source: ModelSource,
  options: { backend?: BackendChoice; fetch?: typeof fetch } = {},
): Promise<CausalLM> {
  const content = await readModelFiles(source, options.fetch ? { fetch: options.fetch } : {});
  return modelFromContent(content, await toBackend(options.backend));
}
