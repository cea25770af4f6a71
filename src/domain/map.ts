/** The validated stakeholder map, as the rest of notify sees it. */
import type { Address } from './address.js';
import type { Notice } from './calendar.js';
import type { NoticeFields } from './notice.js';

/** Where a value was written, for errors found after validation (plans, templates). */
export interface Pos {
  line: number;
  col: number;
}

export interface Action {
  id: string;
  description?: string;
}

export interface Party {
  id: string;
  name: string;
  contacts: Address[];
  affectedBy: string[];
  always: boolean;
  locale?: string;
  template?: string;
  paths: string[];
  /** Told at least this long before a project's effective date (see calendar.ts). */
  notice?: Notice;
  /** Its notices carry a calendar invitation for the effective date. */
  invite?: boolean;
  /** Whether its people must confirm they read the message (issue: acknowledgements). */
  ack?: AckSettings;
  pos: Pos;
}

/** A length of time after a send: working days (Mon–Fri), calendar days or hours. */
export interface Duration {
  workingDays?: number;
  days?: number;
  hours?: number;
}

/** A party's ack: block. */
export interface AckSettings {
  required: boolean;
  within?: Duration;
  remindAfter?: Duration;
  /** A party told, after `within`, who has not acknowledged. */
  escalateTo?: string;
}

/** The map's replies: block: the mailbox `notify acks` reads replies and bounces from. */
export interface RepliesSettings {
  /** The address replies and bounces reach (Reply-To and envelope sender). */
  address?: Address;
  imap?: ImapSettings;
}

export interface ImapSettings {
  url: string;
  user?: string;
  /** The same three ways to give a password as smtp: (see SmtpSettings). */
  passwordEnv?: string;
  passwordFile?: string;
  passwordCommand?: string;
  passwordPos?: Pos;
  mailbox: string;
  processedFolder?: string;
  pos: Pos;
}

export interface Project {
  id: string;
  title?: string;
  owner?: Address;
  actions: string[];
  parties: string[];
  template?: string;
  summary?: string;
  /** The notice fields written in the map: the defaults of a close's answers. */
  notice: NoticeFields;
  details?: string;
  /** projects.<id>.notice: a party's notice period for this project only. */
  noticePeriods?: { party: string; notice: Notice }[];
  pos: Pos;
}

/** calendar: how working days are counted for notice periods. */
export interface CalendarSettings {
  /** An IANA zone; undefined: the system's, read when used (never cached with the map). */
  timezone?: string;
  /** A country or country-region code for date-holidays ("FR", "DE-BY"). */
  holidays?: string;
  holidaysPos?: Pos;
  /** 0 Sunday ... 6 Saturday; default Monday to Friday. */
  workingDays: number[];
  pos: Pos;
}

export interface SmtpSettings {
  url?: string;
  user?: string;
  passwordEnv?: string;
  /** Absolute path of a file holding the password (relative paths resolve against the map). */
  passwordFile?: string;
  /** A shell command whose stdout is the password (a password manager), run in the map's directory. */
  passwordCommand?: string;
  /** Where the password setting was written, for errors when it fails at run time. */
  passwordPos?: Pos;
  requireTls: boolean;
  maxConnections?: number;
  ratePerSecond?: number;
  timeoutSeconds?: number;
  /** Seconds to wait before each retry of a 4xx reply; the length is the number of retries. */
  retryDelaysSeconds?: number[];
}

export type TransportKind = 'smtp' | 'sendmail' | 'file';

/** The map's transport: block: how messages leave (SMTP by default). */
export interface TransportSettings {
  kind: TransportKind;
  /** The local MTA binary; a relative path resolves against the map's directory. */
  sendmailPath?: string;
  /** Absolute path of the outbox of the file transport, inside the map's directory. */
  dir?: string;
  pos: Pos;
}

export interface StakeholderMap {
  /** Absolute path of the map file, and the directory everything is relative to. */
  file: string;
  dir: string;
  version: 1;
  organization?: string;
  from: Address;
  replyTo?: Address;
  locale: string;
  /** The IANA time zone of `effective` dates (default: the system's). */
  timezone?: string;
  /** Absolute path of the log. */
  log: string;
  smtp?: SmtpSettings;
  /** --from-branch reads the project from branch names of this shape; "{project}" marks the id. */
  branchPattern?: string;
  transport?: TransportSettings;
  replies?: RepliesSettings;
  actions: Map<string, Action>;
  parties: Map<string, Party>;
  projects: Map<string, Project>;
  calendar?: CalendarSettings;
}
