import { Template } from '@huggingface/jinja';
import { CHAT_TEMPLATE_LIMITS, renderBounded } from './chat-template-limits.js';
import { TokenizerError } from './tokenizer-error.js';

/**
 * One turn of a conversation. Extra keys (tool calls, names, ...) are passed to the template as they are.
 *
 * @example
 * ```ts
 * const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }];
 * ```
 */
export interface ChatMessage {
  /** Who speaks: `system`, `user`, `assistant` (or whatever the template knows). */
  role: string;
  /** What is said. */
  content: string;
  [key: string]: unknown;
}

/**
 * Picks the chat template from `tokenizer_config.json`'s `chat_template`: a single template string, or a
 * list of `{ name, template }` (then `name`, or `'default'` when no name is given). A `name` that
 * contains template syntax (`{{` or `{%`) is used as the template itself. Throws a
 * {@link TokenizerError} when there is none.
 *
 * @example
 * ```ts
 * resolveChatTemplate({ chat_template: '{{ messages[0].content }}' }); // '{{ messages[0].content }}'
 * resolveChatTemplate({ chat_template: [{ name: 'tool_use', template: '...' }] }, 'tool_use');
 * ```
 */
export function resolveChatTemplate(config: Record<string, unknown>, name?: string): string {
  if (name !== undefined && (name.includes('{{') || name.includes('{%'))) return name;
  const value = config.chat_template;
  if (typeof value === 'string' && name === undefined) return value;
  if (Array.isArray(value)) {
    const wanted = name ?? 'default';
    const found = value.find((item) => (item as { name?: unknown })?.name === wanted) as
      | { template?: unknown }
      | undefined;
    if (typeof found?.template === 'string') return found.template;
    const names = value.map((item) => String((item as { name?: unknown })?.name)).join(', ');
    throw new TokenizerError(
      'TOKENIZER_NO_CHAT_TEMPLATE',
      `The tokenizer has no chat template named '${wanted}' (it has: ${names}).`,
    );
  }
  throw new TokenizerError(
    'TOKENIZER_NO_CHAT_TEMPLATE',
    name === undefined
      ? 'The tokenizer has no chat template (tokenizer_config.json has no "chat_template"); pass one with the chatTemplate option.'
      : `The tokenizer has no chat template named '${name}'.`,
  );
}

/** Parsed templates by source; a few only (templates come from files and a fuzzer may make many). */
const compiled = new Map<string, Template>();
const MAX_COMPILED = 16;

/**
 * Renders a Jinja chat template with `@huggingface/jinja` (the same trim_blocks / lstrip_blocks setup as
 * `transformers`). Parse and render failures, including the template's own `raise_exception(...)`, throw
 * a {@link TokenizerError} with the original error as `cause`. Rendering is bounded (see
 * {@link CHAT_TEMPLATE_LIMITS}: template length, interpreter steps, `range()` length, nesting depth, the
 * length of any value): a template past a bound throws a {@link TokenizerError} with code
 * `TOKENIZER_CHAT_TEMPLATE_LIMIT`.
 *
 * @example
 * ```ts
 * renderChatTemplate("{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}", {
 *   messages: [{ role: 'user', content: 'Hi' }],
 * }); // 'user: Hi\n'
 * ```
 */
export function renderChatTemplate(template: string, context: Record<string, unknown>): string {
  if (typeof template !== 'string' || template.length > CHAT_TEMPLATE_LIMITS.maxTemplateLength) {
    throw new TokenizerError(
      'TOKENIZER_CHAT_TEMPLATE_LIMIT',
      `The chat template must be a string of at most ${CHAT_TEMPLATE_LIMITS.maxTemplateLength} characters (got ${typeof template === 'string' ? `${template.length} characters` : typeof template}).`,
    );
  }
  let parsed = compiled.get(template);
  try {
    if (!parsed) {
      parsed = new Template(template);
      if (compiled.size >= MAX_COMPILED) compiled.clear();
      compiled.set(template, parsed);
    }
  } catch (error) {
    throw new TokenizerError(
      'TOKENIZER_CHAT_TEMPLATE',
      `The chat template does not parse: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    return renderBounded(parsed, context);
  } catch (error) {
    if (TokenizerError.isInstance(error)) throw error;
    throw new TokenizerError(
      'TOKENIZER_CHAT_TEMPLATE',
      `The chat template failed to render: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
