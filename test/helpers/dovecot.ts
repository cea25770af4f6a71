/**
 * A real IMAP server for tests: Dovecot (Debian's dovecot-imapd) on 127.0.0.1, with a throwaway
 * configuration, one passwd-file user and a Maildir, all in a temporary folder. One per test
 * file: start it in beforeAll, stop it in afterAll. Messages go in by IMAP APPEND.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

export interface TestImap {
  url: string;
  port: number;
  user: string;
  password: string;
  /** Put a message in a folder (default INBOX), as a mail server delivering it would. */
  append(raw: string, folder?: string): Promise<void>;
  /** The Message-IDs in a folder, in order. */
  list(folder?: string): Promise<string[]>;
  /** Empty every folder (between tests). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => fs.existsSync(p));

export function dovecotMissing(): string | undefined {
  return DOVECOT ? undefined : 'dovecot is not installed: apt-get install dovecot-imapd (.ci/run does it)';
}

export async function startDovecot(): Promise<TestImap> {
  if (!DOVECOT) throw new Error(dovecotMissing());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-imap-'));
  // Dovecot's unprivileged processes must reach the folder.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  // As root (CI containers) Dovecot refuses to run mail or login processes as root: the mail
  // user is nobody, and the system's dovecot and dovenull users run its internals.
  const mailUid = root ? 65534 : process.getuid!();
  const mailGid = root ? 65534 : process.getgid!();
  const me = os.userInfo().username;
  const group = root ? 'nogroup' : me;
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  if (root) fs.chownSync(home, mailUid, mailGid);
  const user = 'notify-bot';
  const password = 'imap-secret';
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = notify-test-${port}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : group}
default_login_user = ${root ? 'dovenull' : me}
first_valid_uid = 0
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${home}/%u
}
mail_location = maildir:${home}/%u/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
`,
  );
  fs.mkdirSync(path.join(dir, 'state'));
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c) => (stderr += c));
  await waitForPort(port, child, () => `${stderr}${readIf(path.join(dir, 'dovecot.log'))}`);

  const client = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  return {
    url: `imap://127.0.0.1:${port}`,
    port,
    user,
    password,
    append: (raw, folder = 'INBOX') => client(async (c) => void (await c.append(folder, raw.replace(/\r?\n/g, '\r\n')))),
    list: (folder = 'INBOX') =>
      client(async (c) => {
        const lock = await c.getMailboxLock(folder);
        try {
          if (!c.mailbox || c.mailbox.exists === 0) return [];
          return (await c.fetchAll('1:*', { envelope: true })).map((m) => m.envelope?.messageId ?? '');
        } finally {
          lock.release();
        }
      }),
    clear: () =>
      client(async (c) => {
        for (const box of await c.list()) {
          if (box.flags.has('\\Noselect') || box.flags.has('\\NonExistent')) continue;
          const lock = await c.getMailboxLock(box.path);
          try {
            if (c.mailbox && c.mailbox.exists > 0) await c.messageDelete('1:*');
          } finally {
            lock.release();
          }
        }
      }),
    stop: () => stop(child, dir),
  };
}

function readIf(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Until Dovecot accepts connections; its log in the error if it exits first. */
async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('data', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
