/**
 * The hidden `notify __complete -- WORDS...` behind the shell scripts: the words typed after
 * "notify", the last one being completed; prints one candidate per line. Commands and flags come
 * from the commander program itself, ids from the map, so completion never drifts from either.
 */
import type { Command, Option } from 'commander';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { prepareMapLoader, type MapLoader } from '../config/load.js';
import type { StakeholderMap } from '../domain/map.js';
import { listPlans } from '../app/plan-files/file.js';

export interface CompleteOptions {
  words: string[];
  /** The program being run: its commands and flags are the candidates. */
  program: Command;
  config?: string;
  mapLoader: MapLoader;
}

type Ids = { projects: string[]; parties: string[]; actions: string[] };

/** Values of an option, by its long name; undefined means "a file or free text": the shell completes files. */
const OPTION_VALUES: Record<string, (ids: Ids) => string[]> = {
  '--project': (i) => i.projects,
  '--action': (i) => i.actions,
  '--party': (i) => i.parties,
  '--skip': (i) => i.parties.map((p) => `${p}=`),
  '--transport': () => ['smtp', 'sendmail', 'file'],
  '--format': () => ['md', 'csv', 'json'],
};

const ARGUMENT_VALUES: Record<string, (ids: Ids) => string[]> = {
  project: (i) => i.projects,
  shell: () => ['bash', 'zsh', 'fish'],
};

const takesValue = (o: Option) => o.required || o.optional;
const flagsOf = (options: readonly Option[]) => options.filter((o) => !o.hidden).flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
const findOption = (options: readonly Option[], word: string) => options.find((o) => o.long === word || o.short === word);

export function candidates(program: Command, words: string[], ids: () => Ids): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const globals = program.options;
  const visible = program.createHelp().visibleCommands(program).filter((c) => c.name() !== 'help');
  let cmd: Command | undefined;
  const positionals: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const w = before[i];
    if (w.startsWith('-')) {
      const o = findOption([...globals, ...(cmd?.options ?? [])], w.split('=')[0]);
      if (o && takesValue(o) && !w.includes('=')) i++;
      continue;
    }
    if (!cmd) cmd = program.commands.find((c) => c.name() === w || c.aliases().includes(w));
    else positionals.push(w);
  }
  const prev = before.at(-1);
  const prevOption = prev?.startsWith('-') ? findOption([...globals, ...(cmd?.options ?? [])], prev) : undefined;
  let out: string[];
  if (prevOption && takesValue(prevOption)) out = OPTION_VALUES[prevOption.long ?? '']?.(ids()) ?? [];
  else if (current.startsWith('-')) out = [...flagsOf(cmd?.options ?? []), ...flagsOf(globals), '--help'];
  else if (!cmd) out = visible.map((c) => c.name());
  else {
    const arg = cmd.registeredArguments[positionals.length] ?? (cmd.registeredArguments.at(-1)?.variadic ? cmd.registeredArguments.at(-1) : undefined);
    out = arg ? (ARGUMENT_VALUES[arg.name()]?.(ids()) ?? []) : [];
  }
  return [...new Set(out)].filter((c) => c.startsWith(current));
}

/** The ids of the map, or none when there is no valid map: completion never fails loudly. */
export function mapIds(loader: MapLoader, ctx: Context, config?: string): Ids {
  let map: StakeholderMap;
  try {
    map = loader.load({ cwd: ctx.cwd, env: ctx.env, config }).map;
  } catch {
    return { projects: [], parties: [], actions: [] };
  }
  return {
    projects: [...new Set([...map.projects.keys(), ...listPlans(map)])],
    parties: [...map.parties.keys()],
    actions: [...map.actions.keys()],
  };
}

export async function runComplete(o: CompleteOptions, ctx: Context): Promise<number> {
  // The map the words name (-c) is not the one the CLI prepared for.
  const named = configFrom(o.words);
  const loader = named === undefined ? o.mapLoader : await prepareMapLoader({ cwd: ctx.cwd, env: ctx.env, config: named });
  const config = named ?? o.config;
  for (const c of candidates(o.program, o.words, () => mapIds(loader, ctx, config))) ctx.stdout.write(`${c}\n`);
  return EXIT.ok;
}

function configFrom(words: string[]): string | undefined {
  // The last word is still being typed: it is never the map.
  for (let i = 0; i < words.length - 1; i++) {
    if ((words[i] === '-c' || words[i] === '--config') && i + 1 < words.length - 1) return words[i + 1];
    if (words[i].startsWith('--config=')) return words[i].slice('--config='.length);
  }
  return undefined;
}
