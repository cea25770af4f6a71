/**
 * In-memory ports for the fast tier: a map parsed from text, a log held in an array, a lock,
 * and a transport that records what it was given. No socket, no temporary folder.
 */
import { parseMap } from '../../src/config/parse-map.js';
import type { NewEvent, NotifyEvent } from '../../src/domain/events.js';
import { emptyState, foldProjects } from '../../src/domain/state.js';
import type { OutgoingMessage, SendOutcome, Transport } from '../../src/domain/transport.js';
import { inlineComposer } from '../../src/adapters/mail/compose-pool.js';
import type { LogAppender, Ports } from '../../src/ports.js';

export interface FakeWorld {
  ports: Ports;
  /** The log, as appended (ids and timestamps included). */
  events: NotifyEvent[];
  /** Every message the transport was given, in order. */
  sent: OutgoingMessage[];
  /** Set to make the fencing checks answer that the lock (or the log) is no longer this run's. */
  lockLost?: string;
  logLost?: string;
  /** Outcome per recipient address; default sent. */
  outcomes: Map<string, SendOutcome>;
  /** Called once the lock is taken, before the log is read again (another run acting meanwhile). */
  onLocked?: () => void;
  locks: { taken: number; released: number };
  /** Set to make the transport's verification fail with this error. */
  verifyError?: Error;
  /** What git's user.name / user.email say (undefined: not set), and the OS user's name. */
  identity: { git?: string; osUser?: string };
}

export const FAKE_MAP_FILE = '/nonexistent/notify-fake/notify.yaml';

export function fakeWorld(mapText: string, events: NotifyEvent[] = []): FakeWorld {
  let seq = 0;
  const world: FakeWorld = {
    events,
    sent: [],
    outcomes: new Map(),
    locks: { taken: 0, released: 0 },
    identity: { osUser: 'fake-os-user' },
    ports: undefined as unknown as Ports,
  };
  const transport: Transport = {
    kind: 'smtp',
    verify: async () => {
      if (world.verifyError) throw world.verifyError;
    },
    send: async (m) => {
      world.sent.push(m);
      // A send is the moment another run could take over: the next fencing check sees it.
      return world.outcomes.get(m.to) ?? { status: 'sent', response: '250 ok' };
    },
    close: () => undefined,
  };
  const writer: LogAppender = {
    append: async <E extends NewEvent>(e: E) => {
      const full = { id: `e${++seq}`, ts: new Date(Date.UTC(2027, 0, 4, 9, 0, seq)).toISOString(), ...e };
      world.events.push(full as unknown as NotifyEvent);
      return full;
    },
    lost: () => world.logLost,
    settle: async () => undefined,
    close: () => undefined,
  };
  const stateOf = (project: string) => foldProjects(world.events.filter((e) => e.project === project)).get(project) ?? emptyState(project);
  world.ports = {
    maps: {
      open: async (o) => {
        const { map, diagnostics } = parseMap(mapText, FAKE_MAP_FILE, 'notify.yaml');
        const errors = diagnostics.filter((d) => d.severity === 'error');
        if (!map || errors.length > 0) throw new Error(`fake map: ${errors.map((d) => d.message).join('; ')}`);
        if (o.log) map.log = o.log;
        return { map, warnings: [] };
      },
    },
    log: {
      realPath: (file) => file,
      readState: async (_map, _shown, project) => ({ value: stateOf(project), warnings: [] }),
      readIndexedState: async (_map, _shown, project) => ({ value: stateOf(project), warnings: [] }),
      readEvents: async (_file, _shown, project) => ({ value: world.events.filter((e) => project === undefined || e.project === project), warnings: [] }),
      readSummaryStates: async () => ({ value: foldProjects(world.events), warnings: [] }),
      verify: async (file) => ({ file, events: world.events.length, problems: [] }),
      openWriter: async () => writer,
    },
    lock: {
      acquire: async () => {
        world.locks.taken++;
        world.onLocked?.();
        return {
          lost: () => world.lockLost,
          release: async () => void world.locks.released++,
        };
      },
    },
    transports: {
      choose: async () => ({ kind: 'smtp', concurrency: 1, create: async () => transport }),
    },
    composers: { open: async () => inlineComposer },
    previews: {
      tempDir: async (project) => `/nonexistent/notify-preview-${project}`,
      write: async () => {
        throw new Error('fake ports write no preview files');
      },
      open: async () => ({ opened: false, why: 'no browser in the fake world' }),
    },
    shippedLocales: async () => ['en', 'fr'],
    identity: {
      git: async () => world.identity.git,
      osUser: () => world.identity.osUser,
    },
  };
  return world;
}
