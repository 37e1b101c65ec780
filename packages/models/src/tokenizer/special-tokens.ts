/**
 * The text of a special token as `tokenizer_config.json` gives it: a string, an AddedToken object
 * (`{ "__type": "AddedToken", "content": "<s>", ... }`), or null / absent.
 *
 * @example
 * ```ts
 * specialTokenText({ content: '<s>', lstrip: false }); // '<s>'
 * specialTokenText(null); // undefined
 * ```
 */
export function specialTokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

/** Tokenizer classes whose fast tokenizer rebuilds its post-processor from `add_bos_token` / `add_eos_token`. */
const REBUILDS_POST_PROCESSOR = /^(Llama|CodeLlama|Gemma)Tokenizer(Fast)?$/;

/**
 * The post-processor `transformers`' `LlamaTokenizerFast.update_post_processor` installs when a
 * Llama-family tokenizer is loaded: BOS and/or EOS around each sequence as `add_bos_token` /
 * `add_eos_token` say (they override `tokenizer.json`). Returns `undefined` when the config does not
 * call for it (another tokenizer class, or neither flag given).
 *
 * @example
 * ```ts
 * llamaPostProcessor({ tokenizer_class: 'LlamaTokenizer', add_bos_token: true, bos_token: '<s>' }, (t) => 1);
 * // TemplateProcessing: '<s>:0 $A:0' / '<s>:0 $A:0 <s>:1 $B:1'
 * ```
 */
export function llamaPostProcessor(
  config: Record<string, unknown>,
  tokenToId: (token: string) => number | undefined,
): Record<string, unknown> | undefined {
  const tokenizerClass = config.tokenizer_class;
  if (typeof tokenizerClass !== 'string' || !REBUILDS_POST_PROCESSOR.test(tokenizerClass)) return undefined;
  if (typeof config.add_bos_token !== 'boolean' && typeof config.add_eos_token !== 'boolean') return undefined;
  const addBos = config.add_bos_token ?? true; // LlamaTokenizerFast's defaults
  const addEos = config.add_eos_token ?? false;
  const bos = addBos ? specialTokenText(config.bos_token) : undefined;
  const eos = addEos ? specialTokenText(config.eos_token) : undefined;
  const bosId = bos === undefined ? undefined : tokenToId(bos);
  const eosId = eos === undefined ? undefined : tokenToId(eos);
  if ((addBos && bosId === undefined) || (addEos && eosId === undefined)) return undefined;

  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const wrap = (id: string, typeId: number) => [
    ...(bos !== undefined ? [special(bos, typeId)] : []),
    sequence(id, typeId),
    ...(eos !== undefined ? [special(eos, typeId)] : []),
  ];
  const specialTokens: Record<string, unknown> = {};
  if (bos !== undefined) specialTokens[bos] = { id: bos, ids: [bosId], tokens: [bos] };
  if (eos !== undefined) specialTokens[eos] = { id: eos, ids: [eosId], tokens: [eos] };
  return {
    type: 'TemplateProcessing',
    single: wrap('A', 0),
    pair: [...wrap('A', 0), ...wrap('B', 1)],
    special_tokens: specialTokens,
  };
}
