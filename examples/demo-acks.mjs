// npm run demo:acks: close the bank's price change against an SMTP server on loopback, then read
// a reply, an out-of-office and a bounce from a real IMAP mailbox (Dovecot on loopback), and
// show what notify records and what `check --acks` answers. Each run works in a fresh folder.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { ImapFlow } from 'imapflow';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'notify.js');
const dovecotBin = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => fs.existsSync(p));
if (!dovecotBin) {
  console.error('npm run demo:acks reads replies from a real IMAP server, Dovecot, which is not installed here.');
  console.error('Install it (Debian, Ubuntu: sudo apt-get install dovecot-imapd), then run it again.');
  process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-demo-acks-'));
fs.chmodSync(work, 0o755);
const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

// A throwaway Dovecot: one user, a Maildir in the work folder, plain IMAP on loopback.
const imapPort = await freePort();
const asRoot = process.getuid() === 0;
const me = os.userInfo().username;
const home = path.join(work, 'mail');
fs.mkdirSync(home);
if (asRoot) fs.chownSync(home, 65534, 65534);
fs.mkdirSync(path.join(work, 'dovecot-state'));
fs.writeFileSync(path.join(work, 'passwd'), 'notify-bot:{PLAIN}demo-password\n');
fs.writeFileSync(path.join(work, 'dovecot.conf'), `protocols = imap
listen = 127.0.0.1
base_dir = ${work}/dovecot-run
state_dir = ${work}/dovecot-state
instance_name = notify-demo-${imapPort}
log_path = ${work}/dovecot.log
ssl = no
disable_plaintext_auth = no
default_internal_user = ${asRoot ? 'dovecot' : me}
default_internal_group = ${asRoot ? 'dovecot' : os.userInfo().username}
default_login_user = ${asRoot ? 'dovenull' : me}
first_valid_uid = 0
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
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
  args = scheme=PLAIN username_format=%u ${work}/passwd
}
userdb {
  driver = static
  args = uid=${asRoot ? 65534 : process.getuid()} gid=${asRoot ? 65534 : process.getgid()} home=${home}/%u
}
mail_location = maildir:${home}/%u/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
`);
const dovecot = spawn(dovecotBin, ['-F', '-c', path.join(work, 'dovecot.conf')], { stdio: 'ignore' });
for (let i = 0; ; i++) {
  const up = await new Promise((resolve) => { const s = net.connect(imapPort, '127.0.0.1'); s.once('data', () => (s.destroy(), resolve(true))); s.once('error', () => resolve(false)); });
  if (up) break;
  if (i > 200 || dovecot.exitCode !== null) {
    console.error(`Dovecot did not start; its log is in ${work}/dovecot.log`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}

// The SMTP server the notifications go to.
const received = [];
const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, done) {
    let data = '';
    stream.on('data', (c) => (data += c));
    stream.on('end', () => {
      const id = /^Message-ID:\s*(.*(?:\r\n[ \t].*)*)/im.exec(data)?.[1].replace(/\r\n[ \t]+/g, '').trim();
      received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(', '), from: session.envelope.mailFrom.address, id });
      done(null, 'queued');
    });
  },
});
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));

const map = fs.readFileSync(path.join(root, 'examples', 'acks', 'notify.yaml'), 'utf8').replace('imaps://mail.banque-exemple.fr:993', `imap://127.0.0.1:${imapPort}`);
fs.writeFileSync(path.join(work, 'notify.yaml'), map);
const env = { ...process.env, NOTIFY_SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`, NOTIFY_IMAP_PASSWORD: 'demo-password', CI: 'true', FORCE_COLOR: process.stdout.isTTY ? '1' : '0' };
const run = async (...args) => {
  console.log(`\n$ notify ${args.join(' ')}`);
  const r = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: work, env }).catch((e) => e);
  process.stdout.write(r.stdout ?? '');
  process.stdout.write(r.stderr ?? '');
  return r.code ?? 0;
};

try {
  await run('close', 'tarifs-2026', '--yes');
  console.log('\nThe SMTP server received (envelope sender: the replies mailbox, so bounces come back to it):');
  for (const m of received) console.log(`  to ${m.to}  from ${m.from}  ${m.id}`);

  // What arrives in the replies mailbox: a reply from Outlook, an out-of-office, a bounce.
  const sentTo = (a) => received.find((m) => m.to === a).id;
  const mail = (headers, body) => `${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}`;
  const awa = sentTo('awa.diallo@banque-exemple.fr');
  const hugo = sentTo('hugo.bernard@banque-exemple.fr');
  const ines = sentTo('ines.moreau@banque-exemple.fr');
  const inbox = [
    mail({ From: 'Awa Diallo <awa.diallo@banque-exemple.fr>', To: 'notify-replies@banque-exemple.fr', Subject: 'RE: Nouveaux tarifs 2026', 'Message-ID': '<reply.awa@banque-exemple.fr>', 'In-Reply-To': awa, References: awa }, 'Bien reçu, je préviens mes clients.\r\n\r\nDe : Projets Banque Exemple <projets@banque-exemple.fr>\r\nEnvoyé : lundi 2 mars 2026 10:02\r\nObjet : Nouveaux tarifs 2026\r\n\r\nBonjour, ...\r\n'),
    mail({ From: 'hugo.bernard@banque-exemple.fr', To: 'notify-replies@banque-exemple.fr', Subject: 'Réponse automatique : Nouveaux tarifs 2026', 'Auto-Submitted': 'auto-replied', 'Message-ID': '<ooo.hugo@banque-exemple.fr>', 'In-Reply-To': hugo }, 'Je suis absent jusqu’au 9 mars.\r\n'),
    `From: MAILER-DAEMON@mx.banque-exemple.fr (Mail Delivery System)\r\nTo: notify-replies@banque-exemple.fr\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn.ines@mx.banque-exemple.fr>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.banque-exemple.fr\r\n\r\nFinal-Recipient: rfc822; ines.moreau@banque-exemple.fr\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: ${ines}\r\nTo: ines.moreau@banque-exemple.fr\r\n\r\n--B--\r\n`,
  ];
  const client = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, auth: { user: 'notify-bot', pass: 'demo-password' }, logger: false });
  await client.connect();
  for (const raw of inbox) await client.append('INBOX', raw);
  await client.logout();
  console.log('\nThe replies mailbox now holds a reply (Awa), an out-of-office (Hugo) and a bounce (Inès).');

  await run('acks');
  await run('check', 'tarifs-2026', '--acks');
  await run('status');
  await run('ack', 'tarifs-2026', 'agences', '--note', 'confirmed by phone');
} finally {
  smtp.close();
  dovecot.kill('SIGTERM');
  await new Promise((r) => dovecot.once('exit', r));
  fs.rmSync(work, { recursive: true, force: true });
}
