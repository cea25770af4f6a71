/**
 * `npm run build`, after tsc: the CLI as a few files in dist/bundle/, which bin/notify.js runs.
 * Node loads one file much faster than the two hundred modules (notify's and its packages')
 * that a close would otherwise resolve, read and link one by one: a close to 20 recipients
 * spends about 100 ms less CPU. Each command still loads only its own code (a chunk per
 * dynamic import). Of the packages, only those every send or every command loads are bundled;
 * the others load from node_modules in the runs that use them, as before: prompts, calendars,
 * holidays, IMAP, Handlebars, yaml, and chalk (its "#ansi-styles" subpath imports resolve only
 * inside its own package).
 */
const BUNDLED = new Set(['commander', 'marked', 'nodemailer', 'picomatch']);
const packageOf = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);

export default {
  input: { main: 'dist/main.js', 'compose-worker': 'dist/adapters/mail/compose-worker.js' },
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('node:') && !BUNDLED.has(packageOf(id)),
  logLevel: 'warn',
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    comments: { legal: true },
    cleanDir: true,
  },
};
