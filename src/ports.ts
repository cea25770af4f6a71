/**
 * What a command may ask of the world beyond the terminal: the map, the log, its lock, the
 * transports and the composer. The real ones are built at the composition root (io/real-ports.ts)
 * and load their modules only when first used; tests pass in-memory ones (test/helpers/fake-ports.ts).
 */
import type { NewEvent, NotifyEvent } from './domain/events.js';
import type { StakeholderMap, TransportKind } from './domain/map.js';
import type { ProjectState } from './domain/state.js';
import type { Transport } from './domain/transport.js';
import type { ComposeInput } from './adapters/mail/compose.js';
import type { MapLoader } from './config/load.js';

export interface MapOptions {
  config?: string;
  log?: string;
  /** Prepared by the CLI before the command ran (config/load.ts). */
  mapLoader: MapLoader;
}

export interface MapPort {
  /** Found, parsed and validated; throws ConfigError (exit 2) listing every problem. */
  open(o: MapOptions, cwd: string, env: Record<string, string | undefined>): Promise<{ map: StakeholderMap; warnings: string[] }>;
}

/** What a read of the log found, with its warnings (a torn last line): returned, never printed. */
export interface Read<T> {
  warnings: string[];
  value: T;
}

/** The log, read through one scanner and one event validator (io/log-lines.ts, core/event-shape.ts). */
export interface LogReader {
  /** One project's state from the whole log: what a close decides from under its lock. */
  readState(map: StakeholderMap, shown: string, project: string): Promise<Read<ProjectState>>;
  /** Events in file order; with a project, lines of other projects are skipped before they are parsed. */
  readEvents(file: string, shown: string, project?: string): Promise<Read<NotifyEvent[]>>;
  /** One project's state through the log index (for read-only commands on big logs). */
  readIndexedState(map: StakeholderMap, shown: string, project: string, env: Record<string, string | undefined>): Promise<Read<ProjectState>>;
  /** Every project's state, streamed; closed projects keep only what their summary needs. */
  readSummaryStates(map: StakeholderMap, shown: string): Promise<Read<Map<string, ProjectState>>>;
  /** Every line judged, nothing repaired: `notify log --verify`. */
  verify(file: string, shown: string): Promise<LogVerification>;
}

export interface LogVerification {
  file: string;
  events: number;
  problems: { line: number; message: string }[];
}

/** The log, written: group-committed appends, and its identity checks (see io/log.ts). */
export interface LogAppender {
  append<E extends NewEvent>(event: E): Promise<E & { id: string; ts: string }>;
  /** Why no new send may start (the log was replaced, removed or cut), if so. */
  lost(): string | undefined;
  /** Resolves once every queued line is on disk and the file checked once more. */
  settle(): Promise<void>;
  close(): void;
}

export interface LogPort extends LogReader {
  /** The log's real path, through symlinks: the lock and the writer use it. */
  realPath(file: string): string;
  openWriter(file: string, shown: string, now: () => Date, warn: (message: string) => void): Promise<LogAppender>;
}

export interface Lock {
  /** Why this run no longer holds the lock, or undefined while it does. */
  lost(): string | undefined;
  release(): Promise<void>;
}

export interface LockOptions {
  wait: boolean;
  /** Told once when the lock is found lost by the refresh timer (the run stops sending). */
  onLost: (reason: string) => void;
  /** Told when the run waits for the lock (--wait, or a lock left by a dead run). */
  notice?: (message: string) => void;
  /** Ctrl-C or SIGTERM while waiting stops the wait (exit 130 / 143). */
  signal?: AbortSignal;
  /** The clock, for staleness; defaults to Date.now. */
  now?: () => number;
}

export interface LockPort {
  acquire(logFile: string, shown: string, o: LockOptions): Promise<Lock>;
}

export interface TransportFlags {
  transport?: string;
  concurrency?: number;
}

export interface ChosenTransport {
  kind: TransportKind;
  /** Messages in flight at once. */
  concurrency: number;
  create(): Promise<Transport>;
}

export interface TransportPort {
  /** Settles every setting (and reads the SMTP password) now, so a mistake stops the close before it asks anything. */
  choose(map: StakeholderMap, env: Record<string, string | undefined>, cwd: string, f: TransportFlags): Promise<ChosenTransport>;
}

export interface Composer {
  compose(input: ComposeInput): Promise<Buffer>;
  close(): void;
}

export interface ComposerPort {
  /** `worker`: composes in a worker thread once it has loaded, inline until then (for large closes). */
  open(kind: 'inline' | 'worker'): Promise<Composer>;
}

/** What preview writes for people to open: .eml and .html files, and a browser. */
export interface PreviewPort {
  tempDir(project: string): Promise<string>;
  write(dir: string, project: string, items: PreviewFile[]): Promise<WrittenPreview>;
  open(file: string, env: Record<string, string | undefined>): Promise<{ opened: true } | { opened: false; why: string }>;
}

export interface PreviewFile {
  recipient: string;
  raw: Buffer;
  html: string;
  headers: [string, string][];
  status: string;
}

export interface WrittenPreview {
  index: string;
  files: { recipient: string; eml: string; html: string }[];
}

/** Who runs notify, for the decided_by of the decisions they make (app/close/decided-by.ts). */
export interface IdentityPort {
  /** git's user.name and user.email as seen from `dir`, as "Name <email>"; undefined when unset or without git. */
  git(dir: string, env: Record<string, string | undefined>): Promise<string | undefined>;
  /** The operating system's name for the user running notify. */
  osUser(env: Record<string, string | undefined>): string | undefined;
}

export interface Ports {
  maps: MapPort;
  previews: PreviewPort;
  /** The languages notify ships templates for. */
  shippedLocales(): Promise<string[]>;
  log: LogPort;
  lock: LockPort;
  transports: TransportPort;
  composers: ComposerPort;
  identity: IdentityPort;
}
