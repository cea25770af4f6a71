/** The map's replies: block and a party's ack: block (acknowledgements, reminders, bounces). */
import path from 'node:path';
import { isBlank, address, bool, entries, positiveNumber, str, type Entry } from './fields.js';
import type { YamlSource } from './yaml-source.js';
import type { AckSettings, Duration, ImapSettings, RepliesSettings } from '../domain/map.js';
import type { Node } from 'yaml';

export const REPLIES_KEYS = ['imap', 'address'] as const;
export const IMAP_KEYS = ['url', 'user', 'password_env', 'password_file', 'password_command', 'mailbox', 'processed_folder'] as const;
export const ACK_KEYS = ['required', 'within', 'remind_after', 'escalate_to'] as const;
export const DURATION_KEYS = ['working_days', 'days', 'hours'] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseReplies(src: YamlSource, e: Entry, dir: string): RepliesSettings {
  const out: RepliesSettings = {};
  for (const f of entries(src, e.value, 'replies', REPLIES_KEYS)) {
    if (f.name === 'address') out.address = address(src, f.value, 'replies.address');
    else out.imap = parseImap(src, f, dir);
  }
  return out;
}

function parseImap(src: YamlSource, e: Entry, dir: string): ImapSettings | undefined {
  const imap: Partial<ImapSettings> = { mailbox: 'INBOX', pos: src.pos(e.key) };
  const fields = entries(src, e.value, 'replies.imap', IMAP_KEYS);
  const secrets = fields.filter((f) => f.name.startsWith('password_'));
  if (secrets.length > 1) src.error(secrets[1].key, `replies.imap: give one of password_env, password_file, password_command, not ${secrets.map((f) => f.name).join(' and ')}`);
  for (const f of fields) {
    const what = `replies.imap.${f.name}`;
    if (f.name === 'url') {
      const url = str(src, f.value, what);
      if (url && /:\/\/[^/]*@/.test(url)) src.error(f.value, `replies.imap.url must not hold credentials; use replies.imap.user and replies.imap.password_env`);
      else if (url && !/^imaps?:\/\/[^/\s:]+(:\d{1,5})?\/?$/i.test(url)) src.error(f.value, `replies.imap.url "${url}" must look like imaps://host:993 or imap://host:143 (STARTTLS)`);
      else if (url) imap.url = url;
    } else if (f.name === 'user') imap.user = str(src, f.value, what);
    else if (f.name === 'password_env') {
      const name = str(src, f.value, what);
      if (name && !ENV_NAME.test(name)) src.error(f.value, `${what} must be the NAME of an environment variable, not "${name.slice(0, 3)}…"`);
      else imap.passwordEnv = name;
    } else if (f.name === 'password_file') {
      const file = str(src, f.value, what);
      imap.passwordFile = file && path.resolve(dir, file);
      imap.passwordPos = src.pos(f.value);
    } else if (f.name === 'password_command') {
      imap.passwordCommand = str(src, f.value, what);
      imap.passwordPos = src.pos(f.value);
    } else if (f.name === 'mailbox') imap.mailbox = str(src, f.value, what) ?? 'INBOX';
    else imap.processedFolder = str(src, f.value, what);
  }
  if (!imap.url) {
    if (!fields.some((f) => f.name === 'url')) src.error(e.key, 'replies.imap needs a url, e.g. url: imaps://mail.example.com:993');
    return undefined;
  }
  return imap as ImapSettings;
}

/** `escalate` collects escalate_to so the map checks it names a party (with "did you mean"). */
export function parseAck(src: YamlSource, e: Entry, party: string, escalate: (id: string, node: Node) => void): AckSettings | undefined {
  const where = `party "${party}"`;
  const ack: AckSettings = { required: false };
  const fields = entries(src, e.value, `${where} ack`, ACK_KEYS);
  for (const f of fields) {
    const what = `${where} ack.${f.name}`;
    if (f.name === 'required') ack.required = bool(src, f.value, what) ?? false;
    else if (f.name === 'within') ack.within = duration(src, f.value, what);
    else if (f.name === 'remind_after') ack.remindAfter = duration(src, f.value, what);
    else {
      const id = str(src, f.value, what);
      if (id) {
        ack.escalateTo = id;
        escalate(id, f.value as Node);
      }
    }
  }
  const extra = fields.find((f) => f.name !== 'required');
  if (extra && !ack.required) src.error(extra.key, `${where} ack.${extra.name} has no effect without "required: true"`);
  const esc = fields.find((f) => f.name === 'escalate_to');
  if (esc && !fields.some((f) => f.name === 'within')) src.error(esc.key, `${where} ack.escalate_to needs ack.within: how long to wait before escalating, e.g. within: { working_days: 2 }`);
  if (esc && ack.escalateTo === party) src.error(esc.value ?? esc.key, `${where} ack.escalate_to names the party itself; name the party to tell instead, e.g. its managers`);
  return ack;
}

function duration(src: YamlSource, node: Node | null, what: string): Duration | undefined {
  const example = `${what} must be one of { working_days: N }, { days: N } or { hours: N }`;
  if (isBlank(node)) return void src.error(node ?? undefined, example);
  const fields = entries(src, node, what, DURATION_KEYS);
  if (fields.length !== 1) return void (fields.length > 1 && src.error(fields[1].key, `${example}, not several`));
  const f = fields[0];
  const n = positiveNumber(src, f.value, `${what}.${f.name}`);
  if (n === undefined) return undefined;
  if (f.name !== 'hours' && !Number.isInteger(n)) return void src.error(f.value, `${what}.${f.name} must be a whole number`);
  return f.name === 'working_days' ? { workingDays: n } : f.name === 'days' ? { days: n } : { hours: n };
}
