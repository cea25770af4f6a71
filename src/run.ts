/** Build the real context, run the program, turn every error into one message and an exit code. */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { EXIT, InterruptedError, NotifyError } from './errors.js';
import type { Context, GlobalOptions } from './context.js';

export async function run(argv: string[], makeContext: (g: GlobalOptions) => Context): Promise<number> {
  let ctx: Context | undefined;
  let verbose = argv.includes('--verbose');
  let code: number = EXIT.ok;
  const program = buildProgram(
    (globals) => {
      verbose = Boolean(globals.verbose);
      return (ctx = makeContext(globals));
    },
    (c) => (code = c),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return report(err, ctx, verbose);
  }
}

function report(err: unknown, ctx: Context | undefined, verbose: boolean): number {
  const stderr = ctx?.stderr ?? process.stderr;
  if (err instanceof CommanderError) {
    // commander already printed its message (or the help / version).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof Error && err.name === 'ExitPromptError') {
    stderr.write('notify: cancelled; nothing was sent\n');
    return EXIT.interrupted;
  }
  if (err instanceof NotifyError) {
    stderr.write(`notify: ${err.message}\n`);
    if (err.hint) stderr.write(`  ${err.hint}\n`);
    if (verbose && err.detail) stderr.write(`  ${err.detail}\n`);
    if (verbose && !(err instanceof InterruptedError)) stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  stderr.write(`notify: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  stderr.write(verbose ? `${err instanceof Error ? err.stack : String(err)}\n` : '  run again with --verbose for the details, and report it with that output\n');
  return EXIT.unexpected;
}
