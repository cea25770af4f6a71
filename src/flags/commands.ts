/**
 * Every command's flags, and how its arguments and flags become the options its run function
 * takes. Light on purpose: program.ts declares all of them up front, while the commands
 * themselves are imported only when they run (their option types are imported as types only).
 * The names and defaults are contracts documented in README.md.
 */
import type { AckOptions } from '../commands/ack.js';
import type { AcksOptions } from '../commands/acks.js';
import type { AmendOptions } from '../commands/amend.js';
import type { CheckOptions } from '../commands/check.js';
import type { CloseOptions } from '../commands/close.js';
import type { DueOptions } from '../commands/due.js';
import type { CompletionOptions } from '../commands/completion.js';
import type { InitOptions } from '../commands/init.js';
import type { LogOptions } from '../commands/log.js';
import type { PlanOptions } from '../commands/plan.js';
import type { PreviewOptions } from '../commands/preview.js';
import type { RemindOptions } from '../commands/remind.js';
import type { ReportOptions } from '../commands/report.js';
import type { SchemaOptions } from '../commands/schema.js';
import type { StakeholdersOptions } from '../commands/stakeholders.js';
import type { StatusOptions } from '../commands/status.js';
import type { ValidateOptions } from '../commands/validate.js';
import type { MapLoader } from '../config/load.js';
import type { DecideFlags } from '../app/close/decide.js';
import type { TransportKind } from '../domain/map.js';
import { REPORT_FORMATS } from '../app/report/formats.js';
import { UsageError } from '../errors.js';
import { choice, hidden, list, positive, text, toggle, type FlagValues } from './define.js';

/** Given to every command by the CLI rather than by its own flags: the global --config and --log, and the map loader. */
export interface CommonOptions {
  config?: string;
  log?: string;
  mapLoader: MapLoader;
}

/** What a command's own arguments and flags decide. */
export type OwnOptions<O> = Omit<O, keyof CommonOptions>;

const TRANSPORTS: readonly TransportKind[] = ['smtp', 'sendmail', 'file'];
const FROM_BRANCH = toggle('--from-branch', "take the project from the branch name (release/<project>, or the map's branch_pattern)");

/** The answers of a close, shared by close, plan and preview. */
export const ANSWER_FLAGS = [
  list('-a, --action <id>', "an action the project involved (repeatable; default: the project's actions)"),
  list('-P, --party <id>', 'also inform this party (repeatable)'),
  list('-s, --skip <party=reason>', 'do not inform a suggested party, and record why (repeatable)'),
  text('-m, --summary <text>', 'the one-line summary of what changed'),
  text('--details-file <file>', 'the details (Markdown) for the message body'),
  text('--title <text>', "the title of a new ad-hoc project: needed for an id that the map, the plans and the log do not know"),
  text('--effective <date>', 'when the change reaches the people it affects: 2027-01-04, or "2027-01-04 09:00" (in the map\'s timezone)'),
  text('--audience <text>', 'who sees it outside, e.g. "40,000 customers with an e-mail address"'),
  text('--customers-see <text>', 'what customers will see or ask'),
  text('--answer <text>', 'what to say to them: the answer advisers can read out'),
  list('--note <party=text>', 'what it means for that party, what it should do (repeatable)'),
  list('--link <title=url>', 'a link for the message, e.g. "FAQ=https://example.com/faq" (repeatable)'),
] as const;

function answers(f: FlagValues<typeof ANSWER_FLAGS>): OwnOptions<DecideFlags> {
  return {
    actions: f.action,
    parties: f.party,
    skips: f.skip,
    summary: f.summary,
    detailsFile: f.detailsFile,
    title: f.title,
    effective: f.effective,
    audience: f.audience,
    customersSee: f.customersSee,
    answer: f.answer,
    notes: f.note,
    links: f.link,
  };
}

export const STAKEHOLDERS_FLAGS = [
  // The project is an argument, as in every other command; the flag of earlier versions still works.
  hidden(text('-p, --project <id>', 'the project (give it as the argument instead)')),
  list('-a, --action <id>', 'only the parties this action affects (repeatable)'),
  toggle('--json', 'print a JSON array of { id, name, contacts, reasons }'),
  text('--since <ref>', 'also the parties whose paths: match files changed between REF and HEAD (git)'),
] as const;

export function stakeholdersOptions([project]: [string | undefined], f: FlagValues<typeof STAKEHOLDERS_FLAGS>): OwnOptions<StakeholdersOptions> {
  if (project !== undefined && f.project !== undefined && project !== f.project) throw new UsageError(`two projects: ${project} and --project ${f.project}; give one, as the argument`);
  return { project: project ?? f.project, actions: f.action, json: f.json, since: f.since };
}


const YES = toggle('-y, --yes', 'send without asking for confirmation (required without a terminal)');
const TRANSPORT = choice('--transport <kind>', "smtp, sendmail (the local MTA) or file (an .eml outbox); default: the map's transport.kind, else smtp", TRANSPORTS);

/** The flags of every command that sends what a close decided: close and amend. */
const SEND_FLAGS = [
  YES,
  toggle('-n, --dry-run', 'render every message and show what would be sent; send and record nothing'),
  toggle('--resend-unknown', 'resend messages whose outcome is unknown, with the same Message-ID'),
  list('--mark-sent <recipient=reason>', 'record a message whose outcome is unknown as sent, and why (repeatable)'),
  positive('--concurrency <n>', 'messages in flight at once (default: smtp.max_connections, else 5)'),
  toggle('--wait', 'if another run holds the log, wait for it instead of failing'),
  TRANSPORT,
] as const;

function sendOptions(f: FlagValues<typeof SEND_FLAGS>) {
  return { yes: Boolean(f.yes), dryRun: Boolean(f.dryRun), resendUnknown: Boolean(f.resendUnknown), markSent: f.markSent, concurrency: f.concurrency, wait: Boolean(f.wait), transport: f.transport };
}

export const CLOSE_FLAGS = [
  ...ANSWER_FLAGS,
  ...SEND_FLAGS,
  text('--since <ref>', 'suggest the parties whose paths: match files changed between REF and HEAD (git)'),
  FROM_BRANCH,
  list('--accept-late <party=reason>', 'a party whose deadline to be told has passed: accept it, and record why (repeatable)'),
  text('--test-to <address>', 'send each distinct message once to this address only, subject marked [TEST]; nothing is recorded'),
] as const;

export function closeOptions([project]: [string | undefined], f: FlagValues<typeof CLOSE_FLAGS>): OwnOptions<CloseOptions> {
  return {
    // Without the argument (--from-branch), runClose resolves the project first thing: '' is "not given".
    project: project ?? '',
    ...answers(f),
    ...sendOptions(f),
    since: f.since,
    fromBranch: Boolean(f.fromBranch),
    acceptLate: f.acceptLate,
    testTo: f.testTo,
  };
}

export const CHECK_FLAGS = [
  toggle('--json', 'print { project, closed, notified, pending, failed, skipped } (an array without a project)'),
  FROM_BRANCH,
  toggle('--acks', 'also wait for every recipient of a party with ack: { required: true } to acknowledge; --json gains acks: { acknowledged, waiting, bounced }'),
] as const;
export const AMEND_FLAGS = [
  list('-P, --party <id>', 'tell this party, which the close left out (repeatable)'),
  text('--correction <text>', 'send everyone already told a correction: this one line, as the summary of a message marked as a correction'),
  text('--effective <date>', 'with --correction: the change now takes effect then (2027-01-14, or "2027-01-14 09:00"); invitations are updated'),
  toggle('--cancel', 'tell everyone already told that the change will not happen; invitations are cancelled'),
  text('--details-file <file>', 'with --correction or --cancel: the details (Markdown) for the message body'),
  text('-r, --reason <text>', 'why the close is amended (one line, recorded in the log; required)'),
  list('--accept-late <party=reason>', 'with --effective: a party whose new deadline has passed; accept it, and record why (repeatable)'),
  ...SEND_FLAGS,
] as const;

export function amendOptions([project]: [string], f: FlagValues<typeof AMEND_FLAGS>): OwnOptions<AmendOptions> {
  return {
    project,
    parties: f.party,
    correction: f.correction,
    effective: f.effective,
    cancel: Boolean(f.cancel),
    acceptLate: f.acceptLate,
    detailsFile: f.detailsFile,
    reason: f.reason,
    ...sendOptions(f),
  };
}


export function checkOptions([project]: [string | undefined], f: FlagValues<typeof CHECK_FLAGS>): OwnOptions<CheckOptions> {
  return { project, json: f.json, fromBranch: Boolean(f.fromBranch), acks: Boolean(f.acks) };
}

export const DUE_FLAGS = [
  text('--within <duration>', 'a party is "due" this long before its deadline: 2wd (working days, the default), 3d (days), 12h (hours)'),
  toggle('--json', 'print a JSON array of { project, effective, party, notice, tell_by, state, told_at }'),
] as const;

export function dueOptions(_args: [], f: FlagValues<typeof DUE_FLAGS>): OwnOptions<DueOptions> {
  return { within: f.within, json: f.json };
}

export const STATUS_FLAGS = [toggle('--json', 'print a JSON array')] as const;

export function statusOptions([project]: [string | undefined], f: FlagValues<typeof STATUS_FLAGS>): OwnOptions<StatusOptions> {
  return { project, json: f.json };
}

export const LOG_FLAGS = [
  toggle('--json', 'print a JSON array of the events'),
  toggle('--verify', 'check the log file: every line parses, no conflict markers, no duplicate ids (exit 1 on a problem)'),
] as const;

export function logOptions([project]: [string | undefined], f: FlagValues<typeof LOG_FLAGS>): OwnOptions<LogOptions> {
  return { project, json: f.json, verify: Boolean(f.verify) };
}

export const PLAN_FLAGS = [
  ...ANSWER_FLAGS,
  FROM_BRANCH,
  text('--since <ref>', 'suggest the parties whose paths: match files changed between REF and HEAD (git)'),
  toggle('-y, --yes', 'replace an existing plan without asking (without a terminal, the only way to replace one)'),
] as const;

export function planOptions([project]: [string | undefined], f: FlagValues<typeof PLAN_FLAGS>): OwnOptions<PlanOptions> {
  return { project, fromBranch: Boolean(f.fromBranch), ...answers(f), since: f.since, yes: Boolean(f.yes) };
}

export const REPORT_FLAGS = [choice('-f, --format <format>', 'md (Markdown, default), csv or json', REPORT_FORMATS, 'md')] as const;

export function reportOptions([project]: [string], f: FlagValues<typeof REPORT_FLAGS>): OwnOptions<ReportOptions> {
  return { project, format: f.format };
}

export const INIT_FLAGS = [
  toggle('-y, --yes', 'ask nothing: write a commented starter map to edit'),
  // No -f: it is --format in report, and replacing a map deserves its whole name.
  toggle('--force', 'replace an existing map'),
  text('--schema <url-or-path>', "what the map's $schema line points at (default: the installed package's schema, else a copy written beside the map)"),
] as const;

export function initOptions(_args: [], f: FlagValues<typeof INIT_FLAGS>): OwnOptions<InitOptions> {
  return { yes: Boolean(f.yes), force: Boolean(f.force), schema: f.schema };
}

export const VALIDATE_FLAGS = [toggle('--json', 'print { file, valid, readable, errors, warnings, findings: [{ file, line, col, severity, message }], counts }')] as const;

export function validateOptions(_args: [], f: FlagValues<typeof VALIDATE_FLAGS>): OwnOptions<ValidateOptions> {
  return { json: f.json };
}

export const SCHEMA_FLAGS = [
  toggle('--path', 'print where the installed schema file is instead'),
  toggle('--write', "write it to the copy the map's $schema line names (else notify.schema.json beside the map), and print that file's path"),
] as const;

export function schemaOptions(_args: [], f: FlagValues<typeof SCHEMA_FLAGS>): OwnOptions<SchemaOptions> {
  return { path: Boolean(f.path), write: Boolean(f.write) };
}

export const COMPLETION_FLAGS = [] as const;

export function completionOptions([shell]: [string]): OwnOptions<CompletionOptions> {
  return { shell };
}

export const PREVIEW_FLAGS = [
  ...ANSWER_FLAGS,
  text('--date <iso>', 'the date of the messages (default: when the close was decided, else now)'),
  text('-o, --out <dir>', 'write <recipient>.eml (the exact bytes), <recipient>.html and index.html there'),
  toggle('--open', 'open the HTML preview in the default browser (written to a temporary folder without --out)'),
  toggle('--json', 'print { project, decided, closed, messages: [{ to, parties, message_id, subject, status, sent_subject, as_sent }], differs, no_longer_in_map }'),
  text('--send-to <address>', 'send each distinct message once to this address instead, subject marked [TEST]; nothing is recorded'),
] as const;

export function previewOptions([project]: [string], f: FlagValues<typeof PREVIEW_FLAGS>): OwnOptions<PreviewOptions> {
  return { project, ...answers(f), date: f.date, out: f.out, open: Boolean(f.open), json: Boolean(f.json), sendTo: f.sendTo };
}

export const ACKS_FLAGS = [toggle('--json', 'print { projects: [{ project, recorded, acks: { acknowledged, waiting, bounced }, parties }], duplicates, unmatched }')] as const;

export function acksOptions([project]: [string | undefined], f: FlagValues<typeof ACKS_FLAGS>): OwnOptions<AcksOptions> {
  return { project, json: Boolean(f.json) };
}

export const ACK_FLAGS = [text('--note <text>', 'how the acknowledgement was given (required), e.g. "confirmed by phone"')] as const;

export function ackOptions([project, who]: [string, string], f: FlagValues<typeof ACK_FLAGS>): OwnOptions<AckOptions> {
  return { project, who, note: f.note };
}

export const REMIND_FLAGS = [
  YES,
  toggle('-n, --dry-run', 'show the reminders and escalations that are due; send and record nothing'),
  TRANSPORT,
] as const;

export function remindOptions([project]: [string], f: FlagValues<typeof REMIND_FLAGS>): OwnOptions<RemindOptions> {
  return { project, yes: Boolean(f.yes), dryRun: Boolean(f.dryRun), transport: f.transport };
}
