import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { TokenizerError } from './tokenizer-error.js';

/**
 * The bounds a chat template renders under. A template is data from a model folder, so its cost must be
 * bounded whatever it says: every bound reached is a {@link TokenizerError} with code
 * `TOKENIZER_CHAT_TEMPLATE_LIMIT` naming the bound, never an out-of-memory abort or a hang.
 */
export interface ChatTemplateLimits {
  /** Longest template source accepted (characters). */
  maxTemplateLength: number;
  /** Interpreter steps (evaluated nodes and executed blocks, loop bodies included) per render, plus `maxStepsPerMessage` per message. */
  maxSteps: number;
  /** See `maxSteps` (phi-3's template takes ~26 steps a message). */
  maxStepsPerMessage: number;
  /** Longest list `range()` may return. */
  maxRange: number;
  /** Nesting depth of evaluation (macro recursion shows up here). */
  maxDepth: number;
  /** Longest string or list any single value may reach: `base + perInputChar × input characters`. */
  maxValueBase: number;
  /** See `maxValueBase`. */
  maxValuePerInputChar: number;
  /** Total characters of all the values produced in one render, as a multiple of the value bound. */
  maxProducedPerValue: number;
}

/**
 * The default bounds: far above what real chat templates need (phi-3's template: 59 steps for 2 messages,
 * 263 for 10, 25,508 for 1,000), low enough that the worst template ends within about a second.
 */
export const CHAT_TEMPLATE_LIMITS: Readonly<ChatTemplateLimits> = Object.freeze({
  maxTemplateLength: 1_000_000,
  maxSteps: 100_000,
  maxStepsPerMessage: 100,
  maxRange: 100_000,
  maxDepth: 1_000,
  maxValueBase: 1_000_000,
  maxValuePerInputChar: 4,
  maxProducedPerValue: 64,
});

function limitError(what: string): TokenizerError {
  return new TokenizerError(
    'TOKENIZER_CHAT_TEMPLATE_LIMIT',
    `The chat template exceeded a bound of its rendering: ${what}; a chat template is data and must render in bounded time and size.`,
  );
}

/** Characters of the strings in a context (the input a template may legitimately expand). */
function inputChars(value: unknown, seen = new Set<unknown>()): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null || seen.has(value)) return 0;
  seen.add(value);
  let n = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += inputChars(v, seen);
  return n;
}

/** A value's length when it is a string or a list (`@huggingface/jinja` runtime values hold it in `.value`). */
function lengthOf(value: { value?: unknown } | undefined): number {
  const v = value?.value;
  return typeof v === 'string' || Array.isArray(v) ? v.length : 0;
}

type Evaluate = (statement: unknown, environment: Environment) => { value?: unknown; type?: string };
type Block = (statements: unknown, environment: Environment) => { value?: unknown };
type Args = (args: unknown, environment: Environment) => [{ value?: unknown }[], Map<string, { value?: unknown }>];

/**
 * Renders a parsed template with an interpreter whose `evaluate`, block execution and argument evaluation
 * are counted and checked (this instance only: the library itself is not patched). The globals are the
 * library's own (`range` replaced by a bounded one, `strftime_now` delegated to the library).
 *
 * @example
 * ```ts
 * renderBounded(new Template('{{ messages[0].content }}'), '{{ messages[0].content }}', { messages });
 * ```
 */
export function renderBounded(
  parsed: Template,
  context: Record<string, unknown>,
  limits: ChatTemplateLimits = CHAT_TEMPLATE_LIMITS,
): string {
  const maxValue = limits.maxValueBase + limits.maxValuePerInputChar * inputChars(context);
  const maxProduced = limits.maxProducedPerValue * maxValue;
  let produced = 0;
  const messages = context.messages;
  const maxSteps = limits.maxSteps + limits.maxStepsPerMessage * (Array.isArray(messages) ? messages.length : 0);
  let steps = 0;
  let depth = 0;
  const step = (n = 1) => {
    steps += n;
    if (steps > maxSteps) throw limitError(`more than ${maxSteps} interpreter steps`);
  };
  const checkSize = (value: { value?: unknown } | undefined) => {
    const n = lengthOf(value);
    if (n > maxValue) throw limitError(`a value of length ${n} (the limit is ${maxValue})`);
    produced += n;
    if (produced > maxProduced) throw limitError(`more than ${maxProduced} characters produced in all`);
  };

  const env = new Environment();
  env.set('false', false);
  env.set('true', true);
  env.set('none', null);
  env.set('False', false);
  env.set('True', true);
  env.set('None', null);
  env.set('raise_exception', (message: unknown) => {
    throw new Error(String(message));
  });
  env.set('strftime_now', (format: unknown) => new Template('{{ strftime_now(f) }}').render({ f: format }));
  // A range's elements are counted as steps up front: a loop over it prepares one scope per element.
  env.set('range', (start: unknown, stop?: unknown, stepBy: unknown = 1) => {
    const out = boundedRange(start, stop, stepBy, limits);
    step(out.length);
    return out;
  });
  for (const [key, value] of Object.entries(context)) env.set(key, value);

  const interpreter = new Interpreter(env);
  const self = interpreter as unknown as { evaluate: Evaluate; evaluateBlock: Block; evaluateArguments: Args };
  const evaluate = self.evaluate.bind(interpreter);
  const evaluateBlock = self.evaluateBlock.bind(interpreter);
  const evaluateArguments = self.evaluateArguments.bind(interpreter);
  self.evaluate = (statement, environment) => {
    step();
    if (++depth > limits.maxDepth) throw limitError(`evaluation nested deeper than ${limits.maxDepth} (recursion?)`);
    try {
      const result = evaluate(statement, environment);
      checkSize(result);
      return result;
    } finally {
      depth--;
    }
  };
  self.evaluateBlock = (statements, environment) => {
    step();
    const result = evaluateBlock(statements, environment);
    checkSize(result);
    return result;
  };
  // Filters such as `indent(width)` and `tojson(indent=…)` allocate from a number argument in one go.
  self.evaluateArguments = (args, environment) => {
    const evaluated = evaluateArguments(args, environment);
    for (const v of [...evaluated[0], ...evaluated[1].values()]) {
      if (typeof v?.value === 'number' && Math.abs(v.value) > maxValue) {
        throw limitError(`a numeric argument ${v.value} (the limit is ${maxValue})`);
      }
    }
    return evaluated;
  };
  return String(interpreter.run(parsed.parsed).value);
}

/** Python's `range` (as `@huggingface/jinja` defines it), refusing more than `maxRange` elements. */
function boundedRange(start: unknown, stop: unknown, step: unknown, limits: ChatTemplateLimits): number[] {
  let a = Number(start);
  let b = Number(stop);
  if (stop === undefined) {
    b = a;
    a = 0;
  }
  const s = Number(step);
  if (![a, b, s].every(Number.isFinite)) throw new Error('range() arguments must be finite numbers');
  if (s === 0) throw new Error('range() step must not be zero');
  const count = Math.max(0, Math.ceil((b - a) / s));
  if (count > limits.maxRange) throw limitError(`range() of ${count} elements (the limit is ${limits.maxRange})`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(a + i * s);
  return out;
}
