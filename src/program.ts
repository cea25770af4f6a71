/** The commander program: every command and flag, help with examples. No side effects on import. */
import fs from 'node:fs';
import { Command } from 'commander';
import { prepareMapLoader } from './config/load.js';
import type { Context, GlobalOptions } from './context.js';
import { EXIT } from './errors.js';
import { packageFile } from './package-root.js';
import * as flags from './flags/commands.js';
import { addFlags, flagValues, type Flag, type FlagValues } from './flags/define.js';
import { loadStyle } from './adapters/terminal/style.js';
import { RUNNERS, type Run, type RunnerLoaders } from './runners.js';

type MakeContext = (g: GlobalOptions) => Context;

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

/** Said in the help of every command that sends mail. */
export const SENDING_ENVIRONMENT = [
  '\nEnvironment:',
  '  NOTIFY_SMTP_URL  the SMTP server (smtp://user:pass@host:587, smtps://host:465);',
  "                   overrides the map's smtp:",
  '  NOTIFY_CONFIG    the map, when --config is not given',
  '',
].join('\n');

/** The global flags each command takes into account, listed under "Global Options:" in its help. */
const ALL_GLOBALS = ['--config', '--log', '--no-color', '--no-input', '--quiet', '--verbose'];
const READS_LOG = ['--config', '--log', '--no-color', '--quiet', '--verbose'];
const HONOURED: Record<string, readonly string[]> = {
  stakeholders: READS_LOG,
  check: READS_LOG,
  status: READS_LOG,
  log: READS_LOG,
  report: ['--config', '--log', '--quiet', '--verbose'],
  init: ['--config', '--no-color', '--no-input', '--quiet', '--verbose'],
  validate: ['--config', '--no-color', '--quiet', '--verbose'],
  schema: ['--verbose'],
  completion: ['--verbose'],
};

function version(): string {
  return JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')).version;
}

/** `runners` replaces run functions (tests see the options a command would receive). */
export function buildProgram(makeContext: MakeContext, setExit: (code: number) => void, runners: Partial<RunnerLoaders> = {}): Command {
  const load: RunnerLoaders = { ...RUNNERS, ...runners };
  const program = new Command('notify')
    .description('A project is not finished until every party it affects has been told.')
    .version(version(), '-V, --version')
    .option('-c, --config <file>', 'the stakeholder map (default: NOTIFY_CONFIG, else notify.yaml here or in a parent)')
    .option('--log <file>', 'the log file (default: the map\'s log:, else .notify/log.jsonl beside the map)')
    .option('--no-color', 'no colour (NO_COLOR and TERM=dumb are honoured too)')
    .option('--no-input', 'never prompt; every answer must come from flags')
    .option('-q, --quiet', 'print only errors and data')
    .option('--verbose', 'say where the decisions come from; show stack traces of unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`notify: ${str.replace(/^error: /, '')}`) })
    .addHelpText('after', `${examples('notify stakeholders voeux-2027', 'notify close voeux-2027', 'notify check voeux-2027 && echo "everyone was told"')}${EXIT_CODES}\n`);

  /** Declares the command's flags; when it runs, its options come from them and its arguments, plus the common ones. */
  const define = <F extends readonly Flag[], A extends unknown[], Own>(
    cmd: Command,
    declared: F,
    toOptions: (args: A, flags: FlagValues<F>) => Own,
    runner: () => Promise<Run<NoInfer<Own> & flags.CommonOptions>>,
  ): Command =>
    addFlags(cmd, declared).action(async (...args: unknown[]) => {
      // commander passes the arguments as declared, then the flags, then the command.
      const command = args[args.length - 1] as Command;
      const globals = command.optsWithGlobals() as GlobalOptions;
      const made = makeContext(globals);
      const ctx = made.color ? { ...made, style: await loadStyle(true) } : made;
      const mapLoader = await prepareMapLoader({ cwd: ctx.cwd, env: ctx.env, config: globals.config });
      const own = toOptions(args.slice(0, -2) as A, flagValues(command, declared));
      const run = await runner();
      setExit(await run({ ...own, config: globals.config, log: globals.log, mapLoader }, ctx));
    });

  define(
    program
      .command('stakeholders')
      .description('list who to inform and why')
      .argument('[project]', 'only the parties this project concerns (its actions and named parties)')
      .addHelpText('after', examples('notify stakeholders', 'notify stakeholders voeux-2027', 'notify stakeholders --action pricing --action customer-email --json', 'notify stakeholders --since main')),
    flags.STAKEHOLDERS_FLAGS,
    flags.stakeholdersOptions,
    load.stakeholders,
  );

  define(
    program
      .command('close')
      .description('run the close checklist: decide who is affected, tell them, log it, close the project')
      .argument('[project]', 'the project id: in the map, a plan or the log (a new ad-hoc id needs --title); or --from-branch')
      .addHelpText(
        'after',
        SENDING_ENVIRONMENT +
          examples(
            'notify close voeux-2027',
            'notify close voeux-2027 --summary "New Year e-card sent to 40,000 customers" --yes',
            'notify close promo-ete --action pricing --skip legal="reviewed the offer already" -m "Summer prices" --yes',
            'notify close new-intranet --title "The new intranet" --action internal-tool -m "Live for everyone" --yes',
            'notify close voeux-2027 --dry-run',
            'notify close --from-branch --yes   # in CI, on release/voeux-2027, from the committed plan',
          ),
      ),
    flags.CLOSE_FLAGS,
    flags.closeOptions,
    load.close,
  );

  define(
    program
      .command('amend')
      .description('amend a closed project: tell a party that was left out, send everyone told a correction (or a new date), or cancel; logged, and closed again once sent')
      .argument('<project>', 'the id of a closed project')
      .addHelpText(
        'after',
        SENDING_ENVIRONMENT +
          examples(
          'notify amend voeux-2027 --party marketing --reason "left out of the close" --yes',
          'notify amend voeux-2027 --correction "The e-card goes out on 6 January, not 5" --reason "wrong date" --yes',
          'notify amend voeux-2027 --correction "The e-card goes out a week later" --effective 2027-01-14 --reason "the printer is late" --yes',
          'notify amend voeux-2027 --cancel --reason "the campaign is called off" --yes',
          'notify amend voeux-2027 --yes   # resume an amendment whose sends did not all go through',
        ),
      ),
    flags.AMEND_FLAGS,
    flags.amendOptions,
    load.amend,
  );

  define(
    program
      .command('check')
      .description('exit 0 if the project is closed, 1 if not (listing what is pending), 2 on a config error; from the map, plans and log only')
      .argument('[project]', 'the project id (default: every project that has a plan in .notify/plans)')
      .addHelpText('after', examples('notify check voeux-2027', 'notify check voeux-2027 --json', 'notify check --from-branch', 'notify check   # every planned project')),
    flags.CHECK_FLAGS,
    flags.checkOptions,
    load.check,
  );

  define(
    program
      .command('status')
      .description('every project in the map or the log, open or closed, with notified / pending / skipped parties')
      .argument('[project]', 'only this project')
      .addHelpText('after', examples('notify status', 'notify status voeux-2027 --json')),
    flags.STATUS_FLAGS,
    flags.statusOptions,
    load.status,
  );

  define(
    program
      .command('due')
      .description('each open project with an effective date: every party\'s deadline to be told, and whether it is met (exit 1 if one is overdue)')
      .addHelpText('after', examples('notify due', 'notify due --within 5wd', 'notify due --json   # in a daily scheduled CI job')),
    flags.DUE_FLAGS,
    flags.dueOptions,
    load.due,
  );

  define(
    program
      .command('log')
      .description('the history of sends and decisions, newest last')
      .argument('[project]', 'only this project')
      .addHelpText('after', examples('notify log', 'notify log voeux-2027 --json', 'notify log --verify', 'notify --log artifacts/log.jsonl log --verify')),
    flags.LOG_FLAGS,
    flags.logOptions,
    load.log,
  );

  define(
    program
      .command('plan')
      .description('decide a close ahead and write it to .notify/plans/<project>.md, to commit and review in a pull request')
      .argument('[project]', 'the project id: in the map, a plan or the log (a new ad-hoc id needs --title); or --from-branch')
      .addHelpText(
        'after',
        examples(
          'notify plan voeux-2027',
          'notify plan promo-ete --action pricing --since main --summary "Summer prices" --yes',
          'notify plan --from-branch --since main   # on release/promo-ete',
          'git add .notify/plans && git commit -m "notify: plan for promo-ete"',
        ),
      ),
    flags.PLAN_FLAGS,
    flags.planOptions,
    load.plan,
  );

  define(
    program
      .command('report')
      .description('the close-out record of a project from the log: who was told, when, at which address, Message-ID and server response; who was skipped and why; who decided')
      .argument('<project>', 'the project id')
      .addHelpText('after', examples('notify report voeux-2027 > voeux-2027-close.md', 'notify report voeux-2027 --format csv > voeux-2027.csv', 'notify report voeux-2027 --format json | jq .recipients')),
    flags.REPORT_FLAGS,
    flags.reportOptions,
    load.report,
  );

  define(
    program
      .command('init')
      .description('write a first stakeholder map (notify.yaml), asking for the essentials, and set git up for the log')
      .addHelpText('after', examples('notify init', 'notify init --yes', 'notify init --config ops/notify.yaml --yes --force')),
    flags.INIT_FLAGS,
    flags.initOptions,
    load.init,
  );

  define(
    program
      .command('validate')
      .description('check the map, its templates and plans: every finding with file:line, warnings included (exit 0 clean, 1 findings, 2 unreadable)')
      .addHelpText('after', examples('notify validate', 'notify validate --config ops/notify.yaml', 'notify validate --json')),
    flags.VALIDATE_FLAGS,
    flags.validateOptions,
    load.validate,
  );

  define(
    program
      .command('schema')
      .description('print the JSON Schema of the map, for editors and other tools, or refresh the copy beside the map')
      .addHelpText('after', examples('notify schema --write', 'notify schema > notify.schema.json', 'notify schema --path')),
    flags.SCHEMA_FLAGS,
    flags.schemaOptions,
    load.schema,
  );

  define(
    program
      .command('completion')
      .description("print a shell script that completes commands, flags, and the map's project, party and action ids")
      .argument('<shell>', 'bash, zsh or fish')
      .addHelpText('after', examples('eval "$(notify completion bash)"', 'notify completion zsh > "${fpath[1]}/_notify"', 'notify completion fish > ~/.config/fish/completions/notify.fish')),
    flags.COMPLETION_FLAGS,
    flags.completionOptions,
    load.completion,
  );

  // The candidates come from this very program, so completion never drifts from it.
  define(program.command('__complete', { hidden: true }).argument('[words...]'), [] as const, ([words]: [string[] | undefined]) => ({ words: words ?? [], program }), load.complete);

  define(
    program
      .command('preview')
      .description('show every message close would send, byte for byte, without sending or recording anything')
      .argument('<project>', 'the project id: in the map, a plan or the log (a new ad-hoc id needs --title)')
      .addHelpText('after', examples('notify preview voeux-2027', 'notify preview voeux-2027 --out preview/ --open', 'notify preview promo-ete --action pricing -m "Summer prices" --json')),
    flags.PREVIEW_FLAGS,
    flags.previewOptions,
    load.preview,
  );

  define(
    program
      .command('acks')
      .description('read the replies mailbox (replies.imap): record acknowledgements, automatic replies and bounces; show who acknowledged')
      .argument('[project]', 'only replies to this project (default: every project)')
      .addHelpText('after', examples('notify acks', 'notify acks promo-ete --json', 'notify acks && notify check promo-ete --acks')),
    flags.ACKS_FLAGS,
    flags.acksOptions,
    load.acks,
  );

  define(
    program
      .command('ack')
      .description('record an acknowledgement given another way (phone, meeting) for a recipient, or every recipient of a party')
      .argument('<project>', 'the project id')
      .argument('<recipient-or-party>', 'an address, or a party id for all its recipients')
      .addHelpText('after', examples('notify ack promo-ete agence-lyon@exemple.fr --note "confirmed by phone"', 'notify ack promo-ete conseillers --note "read out at the Monday meeting"')),
    flags.ACK_FLAGS,
    flags.ackOptions,
    load.ack,
  );

  define(
    program
      .command('remind')
      .description('for parties that must acknowledge: remind once after remind_after, escalate once after within; for the scheduled CI job')
      .argument('<project>', 'the project id')
      .addHelpText('after', SENDING_ENVIRONMENT + examples('notify remind promo-ete --dry-run', 'notify acks && notify remind promo-ete --yes')),
    flags.REMIND_FLAGS,
    flags.remindOptions,
    load.remind,
  );


  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({ outputError: (str, write) => write(`notify: ${str.replace(/^error: /, '')}`) });
    const honoured = HONOURED[cmd.name()] ?? ALL_GLOBALS;
    cmd.configureHelp({ showGlobalOptions: true, visibleGlobalOptions: (c: Command) => (c.parent?.options ?? []).filter((o) => o.long !== undefined && honoured.includes(o.long)) });
  }
  return program;
}
