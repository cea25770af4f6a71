/** The validated stakeholder map, as the rest of notify sees it. */
import type { Address } from './address.js';
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
  actions: Map<string, Action>;
  parties: Map<string, Party>;
  projects: Map<string, Project>;
}
