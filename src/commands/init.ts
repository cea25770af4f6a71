/** notify init: write a first stakeholder map (asked for, or a commented starter), and set git up for the log. */
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { displayPath, MAP_FILE } from '../config/load.js';
import { parseMap } from '../config/parse-map.js';
import { ConfigError, EXIT, UsageError } from '../errors.js';
import { askInit } from '../app/init/ask.js';
import { ensureLogAttribute, LOG_ATTRIBUTE } from '../app/init/gitattributes.js';
import { renderMap, STARTER, type InitAnswers } from '../app/init/render-map.js';
import { schemaRef, writeSchemaCopy } from '../app/init/schema-ref.js';

export interface InitOptions {
  config?: string;
  yes: boolean;
  force: boolean;
  schema?: string;
}

export async function runInit(o: InitOptions, ctx: Context): Promise<number> {
  const file = path.resolve(ctx.cwd, o.config ?? MAP_FILE);
  const shown = displayPath(ctx.cwd, file);
  if (fs.existsSync(file) && !o.force) throw new UsageError(`${shown} already exists; nothing was changed`, 'edit it, or run "notify init --force" to replace it');
  if (!o.yes && !ctx.interactive) throw new UsageError('notify init asks questions, and there is no terminal to ask them on', 'run "notify init --yes" for a commented starter map');
  const answers: InitAnswers = o.yes ? STARTER : await askInit(ctx.prompter, ctx.stderr, (await ctx.ports.shippedLocales()).sort());
  const schema = o.schema !== undefined ? { ref: o.schema } : schemaRef(path.dirname(file));
  const text = renderMap(answers, schema.ref);
  // The map written must be one notify accepts: check before touching the disk.
  const errors = parseMap(text, file, shown).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new ConfigError(errors, 'this is a bug in notify init; please report it');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (schema.copy) writeSchemaCopy(schema.copy, ctx.cwd);
  fs.writeFileSync(file, text, { flag: o.force ? 'w' : 'wx' });
  const attributes = ensureLogAttribute(path.dirname(file));
  if (ctx.quiet) return EXIT.ok;
  const err = ctx.stderr;
  err.write(`created ${shown}: ${answers.parties.length} part${answers.parties.length === 1 ? 'y' : 'ies'}, ${answers.actions.length} action${answers.actions.length === 1 ? '' : 's'}\n`);
  if (schema.copy) err.write(`wrote ${displayPath(ctx.cwd, schema.copy)}, the schema editors read for completion; "notify schema --write" refreshes it after an upgrade\n`);
  if (attributes) err.write(`added "${LOG_ATTRIBUTE}" to ${displayPath(ctx.cwd, path.join(path.dirname(file), '.gitattributes'))}\n`);
  const config = o.config ? ` --config ${shown}` : '';
  const next: [string, string][] = [
    [`notify validate${config}`, 'every problem, with file:line'],
    [`notify stakeholders${config}`, 'who is told, and why'],
    [`notify close ${answers.project?.id ?? 'my-project'}${config} --dry-run`, 'what would be sent'],
  ];
  const width = Math.max(...next.map(([cmd]) => cmd.length));
  err.write(
    [
      '',
      'Next:',
      `  edit ${shown}${o.yes ? ' (replace the example.com addresses)' : ''}; editors that read its $schema line complete it`,
      ...next.map(([cmd, why]) => `  ${cmd.padEnd(width)}   # ${why}`),
      '  then set NOTIFY_SMTP_URL (or smtp: in the map) and run the close for real',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
