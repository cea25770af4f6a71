/** The entry point: the only place that sets the exit code. */
import fs from 'node:fs';

const argv = process.argv.slice(2);

// The fast path: `notify --version` loads nothing else.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { run } = await import('./run.js');
  process.exitCode = await run(argv);
}
