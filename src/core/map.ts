/** The validated stakeholder map, as the rest of notify sees it. */
import type { Address } from './address.js';

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
  pos: Pos;
}

export interface SmtpSettings {
  url?: string;
  user?: string;
  passwordEnv?: string;
  requireTls: boolean;
  maxConnections?: number;
  ratePerSecond?: number;
  timeoutSeconds?: number;
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
  /** Absolute path of the log. */
  log: string;
  smtp?: SmtpSettings;
  actions: Map<string, Action>;
  parties: Map<string, Party>;
  projects: Map<string, Project>;
}
