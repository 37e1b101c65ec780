import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { type ChatMessage, renderChatTemplate, resolveChatTemplate } from './chat-template.js';
import { checkTokenizerRegexes } from './regex-safety.js';
import { llamaPostProcessor, specialTokenText } from './special-tokens.js';
import { TokenizerError } from './tokenizer-error.js';
import { checkTokenizerIds } from './tokenizer-ids.js';

/**
 * Options of {@link Tokenizer.encode}.
 *
 * @example
 * ```ts
 * tokenizer.encode('Hello', { addSpecialTokens: false });
 * ```
 */
export interface EncodeOptions {
  /** Add the special tokens the post-processor defines (BOS for Llama). @defaultValue true */
  addSpecialTokens?: boolean;
}

/**
 * Options of {@link Tokenizer.decode}.
 *
 * @example
 * ```ts
 * tokenizer.decode(ids, { skipSpecialTokens: true });
 * ```
 */
export interface DecodeOptions {
  /** Leave out special tokens (BOS, EOS, pad, chat markers). @defaultValue false */
  skipSpecialTokens?: boolean;
}

/**
 * Options of {@link Tokenizer.applyChatTemplate}.
 *
 * @example
 * ```ts
 * tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true, tokenize: false });
 * ```
 */
export interface ApplyChatTemplateOptions {
  /** End with the opening of an assistant turn, so a model continues as the assistant. @defaultValue false */
  addGenerationPrompt?: boolean;
  /** Return token ids (encoded without adding special tokens again) instead of the text. @defaultValue true */
  tokenize?: boolean;
  /** A template name from a list of named templates, or a template string to use instead of the tokenizer's. */
  chatTemplate?: string;
  /** Extra template variables (`tools`, `documents`, `date_string`, ...). */
  context?: Record<string, unknown>;
}

type JsonObject = Record<string, unknown>;

/**
 * Runs a call into the tokenizer library: a malformed `tokenizer.json` (a `null` decoder in a sequence, a
 * component of the wrong shape) may only fail when used, with a `TypeError` from inside the library; it is
 * reported as the file's fault.
 */
function libraryCall<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (TokenizerError.isInstance(error)) throw error;
    throw new TokenizerError(
      'TOKENIZER_INVALID',
      `tokenizer.json: ${what} failed inside the tokenizer library (a malformed component?): ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
}

/**
 * A Hugging Face tokenizer (`tokenizer.json` + `tokenizer_config.json`) run by `@huggingface/tokenizers`,
 * which matches the Rust `tokenizers` ids, with chat templates rendered by `@huggingface/jinja`. Works in
 * browsers and Node; load from a directory with `loadTokenizer` from `@rlhf/models/node`.
 *
 * @example
 * ```ts
 * const tokenizer = Tokenizer.fromJSON(tokenizerJson, tokenizerConfig);
 * const ids = tokenizer.encode('Once upon a time'); // [1, 403, 407, 261, 378] for stories260K
 * tokenizer.decode(ids, { skipSpecialTokens: true }); // 'Once upon a time'
 * ```
 */
export class Tokenizer {
  /** `tokenizer.json` as given (for saving). */
  readonly tokenizerJson: Record<string, unknown>;
  /** `tokenizer_config.json` as given (`{}` when none). */
  readonly tokenizerConfig: Record<string, unknown>;
  readonly #hf: HfTokenizer;
  readonly #vocabSize: number;

  private constructor(tokenizerJson: JsonObject, tokenizerConfig: JsonObject) {
    this.tokenizerJson = tokenizerJson;
    this.tokenizerConfig = tokenizerConfig;
    const postProcessor = llamaPostProcessor(tokenizerConfig, (token) => idInJson(tokenizerJson, token));
    const effectiveJson = postProcessor ? { ...tokenizerJson, post_processor: postProcessor } : tokenizerJson;
    try {
      this.#hf = new HfTokenizer(effectiveJson, tokenizerConfig);
    } catch (error) {
      throw new TokenizerError('TOKENIZER_INVALID', `Cannot build the tokenizer: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let maxId = -1;
    for (const id of this.#hf.get_vocab(true).values()) maxId = Math.max(maxId, id);
    this.#vocabSize = maxId + 1;
  }

  /**
   * Builds a tokenizer from the parsed `tokenizer.json` and, optionally, `tokenizer_config.json` (special
   * tokens, chat template, `add_bos_token`, ...).
   *
   * @example
   * ```ts
   * const tokenizer = Tokenizer.fromJSON(JSON.parse(jsonText), JSON.parse(configText));
   * ```
   */
  static fromJSON(tokenizerJson: object, tokenizerConfig: object = {}): Tokenizer {
    if (!isObject(tokenizerJson) || !isObject(tokenizerJson.model)) {
      throw new TokenizerError('TOKENIZER_INVALID', 'tokenizer.json must be an object with a "model".');
    }
    if (!isObject(tokenizerConfig)) {
      throw new TokenizerError('TOKENIZER_INVALID', 'tokenizer_config.json must be an object.');
    }
    checkTokenizerIds(tokenizerJson);
    checkTokenizerRegexes(tokenizerJson);
    return new Tokenizer(tokenizerJson, tokenizerConfig);
  }

  /**
   * Text → token ids.
   *
   * @example
   * ```ts
   * tokenizer.encode('Hello'); // [1, ...] with BOS for a Llama tokenizer
   * tokenizer.encode('Hello', { addSpecialTokens: false });
   * ```
   */
  encode(text: string, { addSpecialTokens = true }: EncodeOptions = {}): number[] {
    const ids = libraryCall('encoding', () => this.#hf.encode(text, { add_special_tokens: addSpecialTokens }).ids);
    // A malformed vocabulary can make the library return holes (`undefined`) instead of ids: never pass them on.
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0) {
        throw new TokenizerError(
          'TOKENIZER_INVALID',
          `tokenizer.json: encoding gave the id ${String(id)}, not a token id (a token is missing from the vocabulary, or the unk_token is not in it).`,
        );
      }
    }
    return ids;
  }

  /**
   * Token ids → text. Throws a {@link TokenizerError} for an id outside the vocabulary.
   *
   * @example
   * ```ts
   * tokenizer.decode([1, 403, 407], { skipSpecialTokens: true }); // 'Once upon'
   * ```
   */
  decode(ids: readonly number[], { skipSpecialTokens = false }: DecodeOptions = {}): string {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.#vocabSize) {
        throw new TokenizerError(
          'TOKENIZER_INVALID_ID',
          `Cannot decode token id ${id}: ids run from 0 to ${this.#vocabSize - 1}.`,
        );
      }
    }
    if (ids.length === 0) return '';
    return libraryCall('decoding', () =>
      this.#hf.decode([...ids], {
        skip_special_tokens: skipSpecialTokens,
        clean_up_tokenization_spaces: this.tokenizerConfig.clean_up_tokenization_spaces === true,
      }),
    );
  }

  /**
   * Renders a conversation with the tokenizer's chat template (`tokenizer_config.json`'s
   * `chat_template`), as `transformers`' `apply_chat_template` does: the template sees `messages`,
   * `add_generation_prompt` and the special tokens (`bos_token`, `eos_token`, ...). Returns token ids by
   * default (no special tokens added: the template writes them), the text with `tokenize: false`.
   *
   * @example
   * ```ts
   * const text = tokenizer.applyChatTemplate([{ role: 'user', content: 'Hi' }], {
   *   addGenerationPrompt: true,
   *   tokenize: false,
   * }); // '<|user|>\nHi<|end|>\n<|assistant|>\n' for Phi-3
   * ```
   */
  applyChatTemplate(messages: readonly ChatMessage[], options: ApplyChatTemplateOptions & { tokenize: false }): string;
  applyChatTemplate(
    messages: readonly ChatMessage[],
    options?: ApplyChatTemplateOptions & { tokenize?: true },
  ): number[];
  applyChatTemplate(messages: readonly ChatMessage[], options?: ApplyChatTemplateOptions): string | number[];
  applyChatTemplate(
    messages: readonly ChatMessage[],
    { addGenerationPrompt = false, tokenize = true, chatTemplate, context = {} }: ApplyChatTemplateOptions = {},
  ): string | number[] {
    const template = resolveChatTemplate(this.tokenizerConfig, chatTemplate);
    const text = renderChatTemplate(template, {
      ...this.#specialTokensMap(),
      ...context,
      messages,
      add_generation_prompt: addGenerationPrompt,
    });
    return tokenize ? this.encode(text, { addSpecialTokens: false }) : text;
  }

  /** The chat template string (the default one of a list), or `undefined` when the tokenizer has none. */
  get chatTemplate(): string | undefined {
    try {
      return resolveChatTemplate(this.tokenizerConfig);
    } catch {
      return undefined;
    }
  }

  /** Id of `bos_token` from the config, or `undefined`. */
  get bosTokenId(): number | undefined {
    return this.#configTokenId('bos_token');
  }

  /** Id of `eos_token` from the config, or `undefined`. */
  get eosTokenId(): number | undefined {
    return this.#configTokenId('eos_token');
  }

  /** Id of `unk_token` from the config (else the model's unknown token), or `undefined`. */
  get unkTokenId(): number | undefined {
    const fromConfig = this.#configTokenId('unk_token');
    if (fromConfig !== undefined) return fromConfig;
    const unk = (this.tokenizerJson.model as JsonObject).unk_token;
    return typeof unk === 'string' ? this.tokenToId(unk) : undefined;
  }

  /** Id of `pad_token`; when the config has none, the EOS id, else the unknown token's id (as trainers do). */
  get padTokenId(): number | undefined {
    return this.#configTokenId('pad_token') ?? this.eosTokenId ?? this.unkTokenId;
  }

  /** One more than the largest id, added tokens included (`len(tokenizer)` in `transformers`). */
  get vocabSize(): number {
    return this.#vocabSize;
  }

  /**
   * The id of a token string (a vocabulary entry such as `'▁the'` or an added token), or `undefined`.
   *
   * @example
   * ```ts
   * tokenizer.tokenToId('<s>'); // 1
   * ```
   */
  tokenToId(token: string): number | undefined {
    return this.#hf.token_to_id(token);
  }

  /**
   * The token string of an id, or `undefined`.
   *
   * @example
   * ```ts
   * tokenizer.idToToken(1); // '<s>'
   * ```
   */
  idToToken(id: number): string | undefined {
    return this.#hf.id_to_token(id);
  }

  #configTokenId(key: string): number | undefined {
    const text = specialTokenText(this.tokenizerConfig[key]);
    return text === undefined ? undefined : this.tokenToId(text);
  }

  /** The special-token variables `transformers` passes to chat templates. */
  #specialTokensMap(): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (const key of ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token']) {
      const text = specialTokenText(this.tokenizerConfig[key]);
      if (text !== undefined) map[key] = text;
    }
    const extra = this.tokenizerConfig.additional_special_tokens;
    if (Array.isArray(extra))
      map.additional_special_tokens = extra.map(specialTokenText).filter((t) => t !== undefined);
    return map;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token's id from the raw `tokenizer.json` (added tokens first, then the model's vocabulary). */
function idInJson(json: JsonObject, token: string): number | undefined {
  const added = Array.isArray(json.added_tokens) ? json.added_tokens : [];
  for (const entry of added) {
    if (isObject(entry) && entry.content === token && typeof entry.id === 'number') return entry.id;
  }
  const vocab = isObject(json.model) ? json.model.vocab : undefined;
  if (isObject(vocab) && typeof vocab[token] === 'number') return vocab[token] as number;
  return undefined;
}
