/** The entry point: the only place that sets the exit code. */
import fs from 'node:fs';

const argv = process.argv.slice(2);

// `notify log | head`, `notify --help | head`: the reader left; stop quietly, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// The fast path: `notify --version` loads nothing else.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { run } = await import('./run.js');
  process.exitCode = await run(argv);
}
