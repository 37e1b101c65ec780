import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aliasesOf } from '@rlhf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_SPECS, COMMON_FLAGS, type CommandName, type CommandSpec, kebab } from './command-specs.js';
import { OPTIONS_NOT_FLAGS } from './help.js';
import { runCliCaptured } from './test-support/cli-harness.js';

const names = Object.keys(COMMAND_SPECS) as CommandName[];
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

describe('rlhf help', () => {
  it.each(['--help', '-h', 'help'])('`rlhf %s` lists every command and exits 0', async (arg) => {
    const r = await runCliCaptured([arg]);
    expect(r.code).toBe(0);
    for (const n of names) expect(r.stdout).toContain(`  ${n} `);
    expect(r.stdout).toContain('--version');
    expect(r.stderr).toBe('');
  });

  it('`rlhf --version` prints the package version and exits 0', async () => {
    const r = await runCliCaptured(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('`rlhf` alone prints the help on stderr and exits 2', async () => {
    const r = await runCliCaptured([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: rlhf <command>');
  });

  it.each(names)('`rlhf %s --help`, `-h` and `rlhf help <command>` print the same help and exit 0', async (name) => {
    const a = await runCliCaptured([name, '--help']);
    const b = await runCliCaptured(['help', name]);
    const c = await runCliCaptured([name, '-h']);
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a.stdout.startsWith(`rlhf ${name} — `)).toBe(true);
    expect(a.stdout).toContain(`Example:\n  rlhf ${name}`);
  });

  it.each(names)(
    '`rlhf %s --help` shows every flag and option the command accepts, with type and default',
    async (name) => {
      const help = (await runCliCaptured([name, '--help'])).stdout;
      const spec: CommandSpec = COMMAND_SPECS[name];
      for (const f of [...spec.flags, ...COMMON_FLAGS]) {
        const line = help.split('\n').find((l) => l.startsWith(`  --${f.name}${f.value ? ` ${f.value}` : ''} `));
        expect(line, `--${f.name}`).toBeDefined();
        expect(line).toContain(f.description);
        expect(line).toContain(f.type);
        if (f.default !== undefined) expect(line).toContain(`default ${f.default}`);
      }
      for (const [key, option] of Object.entries(spec.options?.specs ?? {})) {
        if (OPTIONS_NOT_FLAGS.has(key)) continue;
        const at = help.indexOf(`  --${kebab(key)} <${option.allowed}>\n`);
        expect(at, `--${kebab(key)}`).toBeGreaterThan(0);
        const meaning = help.slice(at).split('\n')[1] as string;
        expect(meaning).toContain(option.description as string);
        expect(meaning).toContain(`default ${JSON.stringify(option.default)}`);
        expect(meaning).toContain(`config key ${key}`);
        for (const alias of aliasesOf(key)) expect(meaning).toContain(alias);
      }
      // One spelling shown: no --snake_case flag in the help.
      expect(help.replace('--snake_case', '')).not.toMatch(/--[a-z]+_[a-z_]+/);
    },
  );

  it("every seed key's help carries its Vietnamese gloss", async () => {
    const help = (await runCliCaptured(['sft', '--help'])).stdout;
    expect(help).toContain('Number of epochs (số vòng)');
    expect(help).toContain('(kích thước batch)');
    expect(help).toContain('(tốc độ học)');
  });

  it.each(['generate', 'score', 'convert', 'pipeline', 'demo', 'export-trl'] as const)(
    'the flags `rlhf %s` accepts are exactly those its help shows',
    async (name) => {
      const argv = name === 'convert' ? [name, 'llama2c', '--bogus', '1'] : [name, '--bogus', '1'];
      const r = await runCliCaptured(argv);
      expect(r.code).toBe(2);
      const known = /known: ([^)]*)\)/.exec(r.stderr)?.[1]?.split(', ') ?? [];
      const shown = [...COMMAND_SPECS[name].flags, ...COMMON_FLAGS].map((f) => `--${f.name}`);
      expect(known.sort()).toEqual(shown.sort());
    },
  );

  const model = join(mkdtempSync(join(tmpdir(), 'rlhf-help-')), 'base');
  beforeAll(async () => {
    const data = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
    const argv = [
      'convert',
      'llama2c',
      '--model',
      join(data, 'stories260K.bin'),
      '--tokenizer',
      join(data, 'tok512.bin'),
    ];
    expect((await runCliCaptured([...argv, '--out', model])).code).toBe(0);
  });

  it.each(['sft', 'reward', 'dpo', 'kto', 'orpo', 'cpo'] as const)(
    'the options `rlhf %s` accepts are exactly those its help shows',
    async (name) => {
      const r = await runCliCaptured([name, '--model', model, '--data', 'x', '--out', 'y', '--bogus-option', '1']);
      expect(r.code).toBe(1);
      const known = /known options: ([^(]*) \(/.exec(r.stderr)?.[1]?.split(', ') ?? [];
      const help = (await runCliCaptured([name, '--help'])).stdout;
      expect(known.length).toBeGreaterThan(20);
      for (const key of known) if (!OPTIONS_NOT_FLAGS.has(key)) expect(help, key).toContain(`  --${kebab(key)} <`);
    },
  );
});
