/** Validate a stakeholder map from its text: every problem at once, each with file:line:col. */
import path from 'node:path';
import { isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { Action, Party, Project, SmtpSettings, StakeholderMap } from '../domain/map.js';
import { NOTICE_UNITS, type Notice } from '../domain/calendar.js';
import { didYouMean, slugProblem } from '../domain/slug.js';
import { address, bool, entries, isBlank, pathInside, positiveNumber, str, strList, type Entry } from './fields.js';
import { YamlSource } from './yaml-source.js';
import { parseTransport } from './parse-transport.js';
import { NOTICE_KEYS } from '../domain/notice.js';
import { skippedTime, timeZoneOf } from '../domain/effective.js';
import { noticeField, timezone, type NoteRef } from './notice-fields.js';
import { parseAck, parseReplies } from './parse-replies.js';
import { parseCalendar, parseNotice } from './parse-calendar.js';
import { maskUrl, smtpUrlProblem } from '../adapters/mail/smtp-url.js';

export const ROOT_KEYS = ['version', 'organization', 'from', 'reply_to', 'locale', 'timezone', 'log', 'smtp', 'transport', 'replies', 'branch_pattern', 'actions', 'parties', 'projects', 'calendar'] as const;
export const SMTP_KEYS = ['url', 'user', 'password_env', 'password_file', 'password_command', 'require_tls', 'pool', 'max_connections', 'rate_per_second', 'timeout_seconds', 'retry_delays_seconds'] as const;
/** smtp.pool: the connection pool; its two settings may also sit directly under smtp. */
export const POOL_KEYS = ['max_connections', 'rate_per_second'] as const;
export const ACTION_KEYS = ['description'] as const;
export const PARTY_KEYS = ['name', 'contacts', 'affected_by', 'always', 'locale', 'template', 'paths', 'description', 'ack', 'notice', 'invite'] as const;
export const PROJECT_KEYS = ['title', 'owner', 'actions', 'parties', 'template', 'summary', ...NOTICE_KEYS, 'details', 'notice'] as const;

const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParsedMap {
  map?: StakeholderMap;
  diagnostics: Diagnostic[];
}

/** `file` is absolute; `displayName` is how errors name it (relative to the cwd). */
export function parseMap(text: string, file: string, displayName: string): ParsedMap {
  return parseMapSource(new YamlSource(file, displayName, text));
}

/** The same, from a map already read as YAML (validate keeps the source for its findings). */
export function parseMapSource(src: YamlSource): ParsedMap {
  if (!src.doc || !src.ok) return { diagnostics: src.diagnostics };
  const file = src.file;
  const dir = path.dirname(file);
  const refs: Refs = [];
  const map: Partial<StakeholderMap> & { actions: Map<string, Action>; parties: Map<string, Party>; projects: Map<string, Project> } = {
    file,
    dir,
    locale: 'en',
    log: path.join(dir, '.notify', 'log.jsonl'),
    actions: new Map(),
    parties: new Map(),
    projects: new Map(),
  };
  const seen = new Set<string>();
  const root = src.doc.contents;
  if (root === null || root === undefined) {
    src.at({ line: 1, col: 1 }, 'the map is empty; start with "version: 1", "from:", "parties:"');
    return { diagnostics: src.diagnostics };
  }
  for (const e of entries(src, root, 'the map', ROOT_KEYS)) {
    seen.add(e.name);
    switch (e.name) {
      case 'version':
        if (!(e.value && 'value' in e.value && e.value.value === 1)) src.error(e.value ?? e.key, 'version must be 1');
        else map.version = 1;
        break;
      case 'organization':
        map.organization = str(src, e.value, 'organization', { header: true });
        break;
      case 'from':
        map.from = address(src, e.value, 'from');
        break;
      case 'reply_to':
        map.replyTo = address(src, e.value, 'reply_to');
        break;
      case 'locale': {
        const l = str(src, e.value, 'locale');
        if (l && !LOCALE.test(l)) src.error(e.value, `locale "${l}" is not a language code such as "en" or "fr"`);
        else if (l) map.locale = l;
        break;
      }
      case 'timezone':
        map.timezone = timezone(src, e.value);
        break;
      case 'log': {
        const l = pathInside(src, e.value, 'log', dir);
        if (l) map.log = path.resolve(dir, l);
        break;
      }
      case 'smtp':
        map.smtp = parseSmtp(src, e, dir);
        break;
      case 'transport':
        map.transport = parseTransport(src, e, dir);
        break;
      case 'replies':
        map.replies = parseReplies(src, e, dir);
        break;
      case 'branch_pattern': {
        const b = str(src, e.value, 'branch_pattern');
        if (b && b.split('{project}').length !== 2) src.error(e.value, `branch_pattern "${b}" must contain {project} exactly once, e.g. "release/{project}"`);
        else if (b) map.branchPattern = b;
        break;
      }
      case 'actions':
        for (const a of entries(src, e.value, 'actions')) {
          if (!checkId(src, a, 'action')) continue;
          const fields = isBlank(a.value) ? [] : entries(src, a.value, `action "${a.name}"`, ACTION_KEYS);
          const action: Action = { id: a.name };
          for (const f of fields) action.description = str(src, f.value, `action "${a.name}" description`);
          map.actions.set(a.name, action);
        }
        break;
      case 'parties':
        for (const p of entries(src, e.value, 'parties')) {
          if (!checkId(src, p, 'party')) continue;
          const party = parseParty(src, p, refs);
          if (party) map.parties.set(p.name, party);
        }
        break;
      case 'calendar':
        map.calendar = parseCalendar(src, e);
        break;
      case 'projects':
        if (isBlank(e.value)) break;
        for (const p of entries(src, e.value, 'projects')) {
          if (!checkId(src, p, 'project')) continue;
          const project = parseProject(src, p, refs);
          if (project) map.projects.set(p.name, project);
        }
        break;
    }
  }
  if (!seen.has('version')) src.at({ line: 1, col: 1 }, 'missing "version: 1" at the top of the map');
  if (!seen.has('from')) src.at({ line: 1, col: 1 }, 'missing "from:", the sender of every notification (e.g. from: "Projets <projets@exemple.fr>")');
  if (!seen.has('parties')) src.at({ line: 1, col: 1 }, 'missing "parties:", the teams to inform');
  const zone = timeZoneOf(map);
  for (const r of refs) {
    if (r.kind === 'effective') {
      const skipped = skippedTime(r.id, zone);
      if (skipped) src.error(r.node, `${r.where} effective: ${skipped}`);
      continue;
    }
    const known = r.kind === 'action' ? map.actions : map.parties;
    if (!known.has(r.id)) src.error(r.node, r.note ? `${r.where} has a note for unknown party "${r.id}"${didYouMean(r.id, known.keys())}` : `${r.where} names unknown ${r.kind} "${r.id}"${didYouMean(r.id, known.keys())}`);
  }
  const acking = [...map.parties.values()].find((p) => p.ack?.required);
  if (acking && !map.replies?.imap && src.ok) src.at(acking.pos, `party "${acking.id}" must acknowledge, but the map has no replies.imap to read the replies from; add a replies: block`, 'warning');
  if (!src.ok) return { diagnostics: src.diagnostics };
  return { map: map as StakeholderMap, diagnostics: src.diagnostics };
}

function checkId(src: YamlSource, e: Entry, kind: string): boolean {
  const problem = slugProblem(e.name);
  if (problem) src.error(e.key, `${kind} id ${problem}`);
  return !problem;
}

function parseSmtp(src: YamlSource, e: Entry, dir: string): SmtpSettings {
  const smtp: SmtpSettings = { requireTls: false };
  const fields = entries(src, e.value, 'smtp', SMTP_KEYS);
  const secrets = fields.filter((f) => f.name.startsWith('password_'));
  if (secrets.length > 1) src.error(secrets[1].key, `smtp: give one of password_env, password_file, password_command, not ${secrets.map((f) => f.name).join(' and ')}`);
  for (const f of fields) {
    if (f.name === 'url') {
      const url = str(src, f.value, 'smtp.url');
      // A password in the map would be in git: user info is refused before it is even decoded.
      if (url && /:\/\/[^/]*@/.test(url)) src.error(f.value, `smtp.url "${maskUrl(url)}" must not hold credentials; use smtp.user and smtp.password_env`);
      else if (url) {
        const shape = /^smtps?:\/\/[^/\s]+\/?$/i.test(url) ? undefined : `smtp.url "${maskUrl(url)}" must look like smtp://host:587 or smtps://host:465`;
        const problem = shape ?? smtpUrlProblem(url, 'smtp.url')?.message;
        if (problem) src.error(f.value, problem);
        else smtp.url = url;
      }
    } else if (f.name === 'user') smtp.user = str(src, f.value, 'smtp.user');
    else if (f.name === 'password_env') {
      const name = str(src, f.value, 'smtp.password_env');
      if (name && !ENV_NAME.test(name)) src.error(f.value, `smtp.password_env must be the NAME of an environment variable, not "${name.slice(0, 3)}…"`);
      else smtp.passwordEnv = name;
    } else if (f.name === 'password_file') {
      const file = str(src, f.value, 'smtp.password_file');
      smtp.passwordFile = file && path.resolve(dir, file);
      smtp.passwordPos = src.pos(f.value);
    } else if (f.name === 'password_command') {
      smtp.passwordCommand = str(src, f.value, 'smtp.password_command');
      smtp.passwordPos = src.pos(f.value);
    } else if (f.name === 'require_tls') smtp.requireTls = bool(src, f.value, 'smtp.require_tls') ?? false;
    else if (f.name === 'pool') for (const p of entries(src, f.value, 'smtp.pool', POOL_KEYS)) poolSetting(src, smtp, p, `smtp.pool.${p.name}`);
    else if (f.name === 'max_connections' || f.name === 'rate_per_second') poolSetting(src, smtp, f, `smtp.${f.name}`);
    else if (f.name === 'timeout_seconds') smtp.timeoutSeconds = positiveNumber(src, f.value, 'smtp.timeout_seconds');
    else if (f.name === 'retry_delays_seconds') smtp.retryDelaysSeconds = delayList(src, f.value);
  }
  return smtp;
}

function poolSetting(src: YamlSource, smtp: SmtpSettings, f: Entry, where: string): void {
  const field = f.name === 'max_connections' ? 'maxConnections' : 'ratePerSecond';
  if (smtp[field] !== undefined) return void src.error(f.key, `${where}: ${f.name} is set twice (under smtp and under smtp.pool); keep one`);
  smtp[field] = positiveNumber(src, f.value, where);
}

type Refs = NoteRef[];

function parseParty(src: YamlSource, e: Entry, refs: Refs): Party | undefined {
  const party: Party = { id: e.name, name: e.name, contacts: [], affectedBy: [], always: false, paths: [], pos: src.pos(e.key) };
  let hasContacts = false;
  const where = `party "${e.name}"`;
  for (const f of entries(src, e.value, where, PARTY_KEYS)) {
    switch (f.name) {
      case 'name':
        party.name = str(src, f.value, `${where} name`, { header: true }) ?? e.name;
        break;
      case 'contacts':
        hasContacts = true;
        const before = src.diagnostics.length;
        for (const c of strList(src, f.value, `${where} contacts`)) {
          const a = address(src, c.node, `${where} contact`);
          if (a) party.contacts.push(a);
        }
        if (party.contacts.length === 0 && src.diagnostics.length === before) src.error(f.value ?? f.key, `${where} has no contacts; add at least one e-mail address`);
        break;
      case 'affected_by':
        party.affectedBy = refList(src, f.value, `${where} affected_by`, 'action', where, refs);
        break;
      case 'always':
        party.always = bool(src, f.value, `${where} always`) ?? false;
        break;
      case 'locale': {
        const l = str(src, f.value, `${where} locale`);
        if (l && !LOCALE.test(l)) src.error(f.value, `${where} locale "${l}" is not a language code such as "en" or "fr"`);
        else party.locale = l;
        break;
      }
      case 'template':
        party.template = pathInside(src, f.value, `${where} template`, path.dirname(src.file));
        break;
      case 'paths':
        party.paths = strList(src, f.value, `${where} paths`).map((p) => p.value);
        break;
      case 'description':
        str(src, f.value, `${where} description`);
        break;
      case 'ack':
        party.ack = parseAck(src, f, e.name, (id, node) => refs.push({ kind: 'party', id, node, where: `${where} ack.escalate_to` }));
        break;
      case 'notice':
        party.notice = parseNotice(src, f.value, where);
        break;
      case 'invite':
        party.invite = bool(src, f.value, `${where} invite`);
        break;
    }
  }
  if (!hasContacts) src.error(e.key, `${where} has no contacts; add "contacts: [name@domain]"`);
  return party;
}

/** A list of ids, each remembered with its node so an undefined one is reported at its line. */
function refList(src: YamlSource, node: Node | null, what: string, kind: 'action' | 'party', where: string, refs: Refs): string[] {
  return strList(src, node, what).map((item) => {
    refs.push({ kind, id: item.value, node: item.node, where });
    return item.value;
  });
}

function parseProject(src: YamlSource, e: Entry, refs: Refs): Project | undefined {
  const project: Project = { id: e.name, actions: [], parties: [], notice: {}, pos: src.pos(e.key) };
  const where = `project "${e.name}"`;
  if (isBlank(e.value)) return project;
  for (const f of entries(src, e.value, where, PROJECT_KEYS)) {
    switch (f.name) {
      case 'title':
        project.title = str(src, f.value, `${where} title`, { header: true });
        break;
      case 'owner':
        project.owner = address(src, f.value, `${where} owner`);
        break;
      case 'actions':
        project.actions = refList(src, f.value, `${where} actions`, 'action', where, refs);
        break;
      case 'parties':
        project.parties = refList(src, f.value, `${where} parties`, 'party', where, refs);
        break;
      case 'template':
        project.template = pathInside(src, f.value, `${where} template`, path.dirname(src.file));
        break;
      case 'summary':
        project.summary = str(src, f.value, `${where} summary`, { header: true });
        break;
      case 'notice':
        project.noticePeriods = entries(src, f.value, `${where} notice`).flatMap((n) => {
          // `notice: { working_days: 2 }` is a party's shape: a project's notice is per party.
          if ((NOTICE_UNITS as readonly string[]).includes(n.name) && isScalar(n.value)) {
            src.error(n.key, `${where} notice is given per party: write notice: { <party>: { ${n.name}: ${String(n.value.value)} } }, or put notice: { ${n.name}: ${String(n.value.value)} } under the party`);
            return [];
          }
          refs.push({ kind: 'party', id: n.name, node: n.key, where: `${where} notice` });
          return [{ party: n.name, notice: parseNotice(src, n.value, `${where} party "${n.name}"`) }];
        }).filter((n): n is { party: string; notice: Notice } => n.notice !== undefined);
        break;
      case 'details':
        project.details = str(src, f.value, `${where} details`)?.trim();
        break;
      default:
        noticeField(src, f, where, project.notice, refs);
    }
  }
  return project;
}

/** Seconds before each retry of a 4xx reply: at most 10 numbers, each from 0 to 3600. */
function delayList(src: YamlSource, node: Node | null): number[] | undefined {
  const ok = (n: unknown) => isScalar(n) && typeof n.value === 'number' && Number.isFinite(n.value) && n.value >= 0 && n.value <= 3600;
  if (!isSeq(node) || node.items.length > 10 || !node.items.every(ok)) {
    src.error(node ?? undefined, 'smtp.retry_delays_seconds must be a list of at most 10 numbers of seconds (0 to 3600), e.g. [60, 300]');
    return undefined;
  }
  return node.items.map((n) => (n as { value: number }).value);
}
