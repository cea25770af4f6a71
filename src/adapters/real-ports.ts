/**
 * The real ports, built at the composition root. Each loads its modules on first use, so a
 * command that never touches the log or a transport never pays for loading them.
 */
import os from 'node:os';
import type { Ports } from '../ports.js';
import { realPathOf } from './log/real-path.js';

export function realPorts(): Ports {
  return {
    maps: {
      open: async (o, cwd, env) => o.mapLoader.load({ cwd, env, config: o.config, log: o.log }),
    },
    log: {
      realPath: realPathOf,
      readState: async (map, shown, project) => (await import('./log/project-states.js')).readProjectState(map, shown, project),
      readEvents: async (file, shown, project) => (await import('./log/project-states.js')).readEvents(file, shown, project),
      readIndexedState: async (map, shown, project, env) => (await import('./log/project-states.js')).readIndexedState(map, shown, project, env),
      readSummaryStates: async (map, shown) => (await import('./log/project-states.js')).readSummaryStates(map, shown),
      verify: async (file, shown) => (await import('./log/log-verify.js')).verifyLog(file, shown),
      openWriter: async (file, shown, now, warn) => (await import('./log/log.js')).LogWriter.open(file, now, warn, shown),
    },
    previews: {
      tempDir: async (project) => (await import('./files/preview-files.js')).tempPreviewDir(project),
      write: async (dir, project, items) => (await import('./files/preview-files.js')).writePreviewFiles(dir, project, items),
      open: async (file, env) => (await import('./terminal/open-browser.js')).openInBrowser(file, env),
    },
    shippedLocales: async () => (await import('./mail/templates.js')).shippedLocales(),
    lock: {
      acquire: async (file, shown, o) => (await import('./log/lock.js')).acquireLock(file, shown, o),
    },
    transports: {
      choose: async (map, env, cwd, f) => (await import('./mail/transports.js')).chooseTransport(map, env, cwd, f),
    },
    composers: {
      open: async (kind) => {
        const { inlineComposer, workerComposer } = await import('./mail/compose-pool.js');
        return kind === 'worker' ? workerComposer() : inlineComposer;
      },
    },
    identity: {
      git: async (dir, env) => (await import('./git/identity.js')).gitIdentity(dir, env),
      osUser,
    },
  };
}

/** os.userInfo() throws where the user has no entry in the password database (some containers). */
function osUser(env: Record<string, string | undefined>): string | undefined {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // fall back to what the shell says
  }
  return env.USER || env.USERNAME || undefined;
}
