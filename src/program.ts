/** The commander program: every command and flag, help with examples. No side effects on import. */
import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { Context, GlobalOptions } from './context.js';
import { EXIT } from './errors.js';
import { loadColors } from './io/style.js';
import { prepareMapLoader } from './config/load.js';

type MakeContext = (g: GlobalOptions) => Context;

const collect = (value: string, previous: string[] = []) => previous.concat([value]);

const exitRow = (code: number, meaning: string) => `  ${String(code).padEnd(5)}${meaning}`;
const EXIT_CODES = [
  '\nExit codes:',
  exitRow(EXIT.ok, 'done: the project is closed, or the command succeeded'),
  exitRow(EXIT.incomplete, 'not done: a send failed or is pending, the project stays open (check: not closed)'),
  exitRow(EXIT.usage, 'usage, configuration or input error: nothing was sent'),
  exitRow(EXIT.unexpected, 'unexpected error (a bug): run again with --verbose and report it'),
  exitRow(EXIT.interrupted, `interrupted (Ctrl-C); ${EXIT.terminated} terminated (SIGTERM): the log is consistent, run again to resume`),
].join('\n');

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function version(): string {
  return JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
}

export function buildProgram(makeContext: MakeContext, setExit: (code: number) => void): Command {
  const program = new Command('notify')
    .description('A project is not finished until every party it affects has been told.')
    .version(version(), '-V, --version')
    .option('-c, --config <file>', 'the stakeholder map (default: NOTIFY_CONFIG, else notify.yaml here or in a parent)')
    .option('--log <file>', 'the log file (default: the map\'s log:, else .notify/log.jsonl beside the map)')
    .option('--no-color', 'no colour (NO_COLOR and TERM=dumb are honoured too)')
    .option('--no-input', 'never prompt; every answer must come from flags')
    .option('-q, --quiet', 'print only errors and data')
    .option('--verbose', 'show stack traces of unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`notify: ${str.replace(/^error: /, '')}`) })
    .addHelpText('after', `${examples('notify stakeholders --project voeux-2027', 'notify close voeux-2027', 'notify check voeux-2027 && echo "everyone was told"')}${EXIT_CODES}\n`);

  const action =
    <O>(load: () => Promise<(opts: O, ctx: Context) => Promise<number>>, shape: (args: string[], opts: any) => Omit<O, 'mapLoader'>) =>
    async (...args: any[]) => {
      const cmd: Command = args[args.length - 1];
      const globals = cmd.optsWithGlobals() as GlobalOptions;
      const ctx = makeContext(globals);
      if (ctx.color) await loadColors();
      const mapLoader = await prepareMapLoader({ cwd: ctx.cwd, env: ctx.env, config: globals.config });
      const runner = await load();
      setExit(await runner({ ...shape(args.slice(0, -2), cmd.opts()), config: globals.config, log: globals.log, mapLoader } as O, ctx));
    };

  program
    .command('stakeholders')
    .description('list who to inform and why')
    .option('-p, --project <id>', 'only the parties this project concerns (its actions and named parties)')
    .option('-a, --action <id>', 'only the parties this action affects (repeatable)', collect, [])
    .option('--json', 'print a JSON array of { id, name, contacts, reasons }')
    .option('--since <ref>', 'also the parties whose paths: match files changed between REF and HEAD (git)')
    .addHelpText('after', examples('notify stakeholders', 'notify stakeholders --action pricing --action customer-email', 'notify stakeholders --project voeux-2027 --json', 'notify stakeholders --since main'))
    .action(action(async () => (await import('./commands/stakeholders.js')).runStakeholders, (_a, o) => ({ project: o.project, actions: o.action, json: o.json, since: o.since })));

  answerFlags(program.command('close'))
    .description('run the close checklist: decide who is affected, tell them, log it, close the project')
    .argument('[project]', 'the project id (listed in the map, or a new ad-hoc id); or --from-branch')
    .option('-y, --yes', 'send without asking for confirmation (required without a terminal)')
    .option('-n, --dry-run', 'render every message and show what would be sent; send and record nothing')
    .option('--resend-unknown', 'resend messages whose outcome is unknown, with the same Message-ID')
    .option('--mark-sent <recipient=reason>', 'record a message whose outcome is unknown as sent, and why (repeatable)', collect, [])
    .option('--concurrency <n>', 'messages in flight at once (default: smtp.max_connections, else 5)', (v) => positiveInt(v, '--concurrency'))
    .option('--wait', 'if another run holds the log, wait for it instead of failing')
    .option('--since <ref>', 'suggest the parties whose paths: match files changed between REF and HEAD (git)')
    .option('--from-branch', 'take the project from the branch name (release/<project>, or the map\'s branch_pattern)')
    .option('--transport <kind>', 'smtp, sendmail (the local MTA) or file (an .eml outbox); default: the map\'s transport.kind, else smtp', (v) => oneOf(v, ['smtp', 'sendmail', 'file'], '--transport'))
    .addHelpText(
      'after',
      examples(
        'notify close voeux-2027',
        'notify close voeux-2027 --summary "New Year e-card sent to 40,000 customers" --yes',
        'notify close promo-ete --action pricing --skip legal="reviewed the offer already" -m "Summer prices" --yes',
        'notify close voeux-2027 --dry-run',
        'notify close --from-branch --yes   # in CI, on release/voeux-2027, from the committed plan',
      ),
    )
    .action(
      action(async () => (await import('./commands/close.js')).runClose, ([project], o) => ({
        project,
        ...answers(o),
        yes: Boolean(o.yes),
        dryRun: Boolean(o.dryRun),
        resendUnknown: Boolean(o.resendUnknown),
        markSent: o.markSent,
        concurrency: o.concurrency,
        wait: Boolean(o.wait),
        since: o.since,
        fromBranch: Boolean(o.fromBranch),
        transport: o.transport,
      })),
    );

  program
    .command('check')
    .description('exit 0 if the project is closed, 1 if not (listing what is pending), 2 on a config error; from the map, plans and log only')
    .argument('[project]', 'the project id (default: every project that has a plan in .notify/plans)')
    .option('--json', 'print { project, closed, notified, pending, failed, skipped } (an array without a project)')
    .option('--from-branch', 'take the project from the branch name (release/<project>, or the map\'s branch_pattern)')
    .addHelpText('after', examples('notify check voeux-2027', 'notify check voeux-2027 --json', 'notify check --from-branch', 'notify check   # every planned project'))
    .action(action(async () => (await import('./commands/check.js')).runCheck, ([project], o) => ({ project, json: o.json, fromBranch: Boolean(o.fromBranch) })));

  program
    .command('status')
    .description('every project in the map or the log, open or closed, with notified / pending / skipped parties')
    .argument('[project]', 'only this project')
    .option('--json', 'print a JSON array')
    .addHelpText('after', examples('notify status', 'notify status voeux-2027 --json'))
    .action(action(async () => (await import('./commands/status.js')).runStatus, ([project], o) => ({ project, json: o.json })));

  program
    .command('log')
    .description('the history of sends and decisions, newest last')
    .argument('[project]', 'only this project')
    .option('--json', 'print a JSON array of the events')
    .option('--verify', 'check the log file: every line parses, no conflict markers, no duplicate ids (exit 1 on a problem)')
    .addHelpText('after', examples('notify log', 'notify log voeux-2027 --json', 'notify log --verify', 'notify --log artifacts/log.jsonl log --verify'))
    .action(action(async () => (await import('./commands/log.js')).runLog, ([project], o) => ({ project, json: o.json, verify: Boolean(o.verify) })));

  answerFlags(program.command('plan'))
    .description('decide a close ahead and write it to .notify/plans/<project>.md, to commit and review in a pull request')
    .argument('[project]', 'the project id (listed in the map, or a new ad-hoc id); or --from-branch')
    .option('--from-branch', 'take the project from the branch name (release/<project>, or the map\'s branch_pattern)')
    .option('--since <ref>', 'suggest the parties whose paths: match files changed between REF and HEAD (git)')
    .option('-y, --yes', 'replace an existing plan without asking (without a terminal, the only way to replace one)')
    .addHelpText(
      'after',
      examples(
        'notify plan voeux-2027',
        'notify plan promo-ete --action pricing --since main --summary "Summer prices" --yes',
        'notify plan --from-branch --since main   # on release/promo-ete',
        'git add .notify/plans && git commit -m "notify: plan for promo-ete"',
      ),
    )
    .action(
      action(async () => (await import('./commands/plan.js')).runPlan, ([project], o) => ({
        project,
        fromBranch: Boolean(o.fromBranch),
        ...answers(o),
        since: o.since,
        yes: Boolean(o.yes),
      })),
    );

  program
    .command('report')
    .description('the close-out record of a project from the log: who was told, when, at which address, Message-ID and server response; who was skipped and why; who decided')
    .argument('<project>', 'the project id')
    .option('-f, --format <format>', 'md (Markdown, default), csv or json', (v) => oneOf(v, ['md', 'csv', 'json'], '--format'), 'md')
    .addHelpText('after', examples('notify report voeux-2027 > voeux-2027-close.md', 'notify report voeux-2027 --format csv > voeux-2027.csv', 'notify report voeux-2027 --format json | jq .recipients'))
    .action(action(async () => (await import('./commands/report.js')).runReport, ([project], o) => ({ project, format: o.format })));

  program
    .command('init')
    .description('write a first stakeholder map (notify.yaml), asking for the essentials, and set git up for the log')
    .option('-y, --yes', 'ask nothing: write a commented starter map to edit')
    .option('-f, --force', 'replace an existing map')
    .option('--schema <url-or-path>', 'what the map\'s $schema line points at (default: the installed package, else the published schema)')
    .addHelpText('after', examples('notify init', 'notify init --yes', 'notify init --config ops/notify.yaml --yes --force'))
    .action(action(async () => (await import('./commands/init.js')).runInit, (_a, o) => ({ yes: Boolean(o.yes), force: Boolean(o.force), schema: o.schema })));

  program
    .command('validate')
    .description('check the map, its templates and plans: every finding with file:line, warnings included (exit 0 clean, 1 findings, 2 unreadable)')
    .option('--json', 'print { file, valid, readable, errors, warnings, findings: [{ file, line, col, severity, message }], counts }')
    .addHelpText('after', examples('notify validate', 'notify validate --config ops/notify.yaml', 'notify validate --json'))
    .action(action(async () => (await import('./commands/validate.js')).runValidate, (_a, o) => ({ json: o.json })));

  program
    .command('schema')
    .description('print the JSON Schema of the map, for editors and other tools')
    .option('--path', 'print where the installed schema file is instead')
    .addHelpText('after', examples('notify schema > notify.schema.json', 'notify schema --path'))
    .action(action(async () => (await import('./commands/schema.js')).runSchema, (_a, o) => ({ path: Boolean(o.path) })));

  program
    .command('completion')
    .description('print a shell script that completes commands, flags, and the map\'s project, party and action ids')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', examples('eval "$(notify completion bash)"', 'notify completion zsh > "${fpath[1]}/_notify"', 'notify completion fish > ~/.config/fish/completions/notify.fish'))
    .action(action(async () => (await import('./commands/completion.js')).runCompletion, ([shell]) => ({ shell })));

  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .action(action(async () => (await import('./commands/complete.js')).runComplete, (a) => ({ words: (a[0] as unknown as string[] | undefined) ?? [] })));

  answerFlags(program.command('preview'))
    .description('show every message close would send, byte for byte, without sending or recording anything')
    .argument('<project>', 'the project id')
    .option('--date <iso>', 'the date of the messages (default: when the close was decided, else now)')
    .option('-o, --out <dir>', 'write <recipient>.eml (the exact bytes), <recipient>.html and index.html there')
    .option('--open', 'open the HTML preview in the default browser (written to a temporary folder without --out)')
    .option('--json', 'print { project, decided, closed, messages: [{ to, parties, message_id, subject, status }] }')
    .addHelpText('after', examples('notify preview voeux-2027', 'notify preview voeux-2027 --out preview/ --open', 'notify preview promo-ete --action pricing -m "Summer prices" --json'))
    .action(
      action(async () => (await import('./commands/preview.js')).runPreview, ([project], o) => ({
        project,
        ...answers(o),
        date: o.date,
        out: o.out,
        open: Boolean(o.open),
        json: Boolean(o.json),
      })),
    );

  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ outputError: (str, write) => write(`notify: ${str.replace(/^error: /, '')}`) });
  return program;
}

function oneOf(value: string, allowed: string[], flag: string): string {
  if (!allowed.includes(value)) throw new InvalidArgumentError(`${flag} must be one of ${allowed.join(', ')}`);
  return value;
}

/** The answers of a close, shared by close, plan and preview. */
function answerFlags(cmd: Command): Command {
  return cmd
    .option('-a, --action <id>', "an action the project involved (repeatable; default: the project's actions)", collect, [])
    .option('-P, --party <id>', 'also inform this party (repeatable)', collect, [])
    .option('-s, --skip <party=reason>', 'do not inform a suggested party, and record why (repeatable)', collect, [])
    .option('-m, --summary <text>', 'the one-line summary of what changed')
    .option('--details-file <file>', 'the details (Markdown) for the message body')
    .option('--title <text>', 'the project title for an ad-hoc project');
}

function answers(o: any) {
  return { actions: o.action, parties: o.party, skips: o.skip, summary: o.summary, detailsFile: o.detailsFile, title: o.title };
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive whole number`);
  return n;
}
