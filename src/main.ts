/** The entry point: the only place that sets the exit code. */
import fs from 'node:fs';
import v8 from 'node:v8';
import { EXIT } from './errors.js';
import { packageFile } from './package-root.js';

const argv = process.argv.slice(2);

// `notify log | head`, `notify --help | head`: the reader left; stop quietly, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

// The fast path: `notify --version` loads nothing else (errors.ts is a table of codes, package-root.ts a few lines).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // A run whose last awaited work can never finish would let Node exit with 0: never success.
  const stalled = () => {
    process.stderr.write('notify: unexpected error: the run stopped before it finished\n  run `notify status` to see what was recorded, and report it\n');
    process.exitCode = EXIT.unexpected;
  };
  process.once('beforeExit', stalled);
  regexpsCompiledOnce();
  const [{ run }, { createRealContext }] = await Promise.all([import('./run.js'), import('./adapters/terminal/real-context.js')]);
  process.exitCode = await run(argv, (globals) => createRealContext(globals, handleSignals()));
  process.off('beforeExit', stalled);
}

/**
 * V8 first runs a regular expression as bytecode, then compiles it again to machine code once it
 * runs more than once. Marked's few dozen large expressions all run many times in the first
 * message rendered, so a close paid for both: its first Markdown took 60 ms of CPU, 20 ms with
 * each expression compiled once, straight to machine code. A process as short as notify's
 * gains; the flag changes only how expressions are compiled, never what they match.
 */
function regexpsCompiledOnce(): void {
  try {
    v8.setFlagsFromString('--no-regexp-tier-up');
  } catch {
    // An engine without the flag: expressions compile its own way.
  }
}

/**
 * Ctrl-C and SIGTERM. Outside a send nothing is half-done, so they stop at once; while a send
 * holds them, they abort the context's signal so the run finishes the send in flight, records
 * it and exits 130 / 143 through run(). A second signal forces the stop.
 *
 * The handlers are installed by the first hold only. Until then the signals keep their default
 * action, which the kernel carries out at once: a JavaScript handler would wait for the event
 * loop, and so for the end of any long synchronous work (parsing a 5 MB map takes seconds).
 */
function handleSignals() {
  const controller = new AbortController();
  let held = 0;
  let installed = false;
  let finishing = 'finishing the send in flight';
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (held === 0 || controller.signal.aborted) process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
    process.stderr.write(`\nnotify: ${signal} received: ${finishing}, then stopping (again to force)\n`);
    controller.abort(signal);
  };
  return {
    signal: controller.signal,
    holdSignals: (what = 'finishing the send in flight') => {
      finishing = what;
      if (!installed) {
        installed = true;
        process.on('SIGINT', () => onSignal('SIGINT'));
        process.on('SIGTERM', () => onSignal('SIGTERM'));
      }
      held++;
      return () => void held--;
    },
  };
}
