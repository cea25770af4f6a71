// npm run demo: close the insurer's New Year e-card project against an SMTP server on loopback,
// show what the server received (one message whole, as its reader sees it), then `notify status`.
// Each run works in a fresh temporary folder.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'notify.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-demo-'));
fs.copyFileSync(path.join(root, 'examples', 'assurance', 'notify.yaml'), path.join(work, 'notify.yaml'));

// Subjects arrive MIME-encoded (RFC 2047); decode them for display.
const decodeWords = (s) =>
  s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, q) =>
    Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
// The text/plain part of a message, decoded from quoted-printable or base64.
const textPart = (raw) => {
  const m = /Content-Type: text\/plain[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?Content-Transfer-Encoding: ([\w-]+)\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/i.exec(raw);
  if (!m) return '';
  const [, encoding, body] = m;
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (!/quoted-printable/i.test(encoding)) return body;
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
};
const received = [];
const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, done) {
    let data = '';
    stream.on('data', (c) => (data += c));
    stream.on('end', () => {
      const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(data)?.[1].replace(/\r\n[ \t]/g, ' ') ?? '';
      received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(', '), subject: decodeWords(subject), raw: data });
      done(null, 'queued');
    });
  },
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.server.address();
const env = { ...process.env, NOTIFY_SMTP_URL: `smtp://127.0.0.1:${port}`, CI: 'true', FORCE_COLOR: process.stdout.isTTY ? '1' : '0' };
// Asynchronous, so the SMTP server in this process keeps answering while notify runs.
const run = async (...args) => {
  console.log(`\n$ notify ${args.join(' ')}`);
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: work, env, encoding: 'utf8' });
    process.stdout.write(stderr + stdout);
  } catch (err) {
    process.stdout.write((err.stderr ?? '') + (err.stdout ?? ''));
    console.log(`(exit code ${err.code})`);
  }
};
try {
  console.log(`Demo folder: ${work}\nSMTP server listening on 127.0.0.1:${port}`);
  await run('stakeholders', 'voeux-2027');
  await run('close', 'voeux-2027', '--yes');
  console.log(`\nThe SMTP server received ${received.length} messages:`);
  for (const m of received) console.log(`  ${m.to.padEnd(40)} ${m.subject}`);
  const marie = received.find((m) => m.to.startsWith('marie-daba@')) ?? received[0];
  if (marie) {
    const header = (name) => decodeWords(new RegExp(`^${name}: (.*(?:\r\n[ \t].*)*)`, 'm').exec(marie.raw)?.[1].replace(/\r\n[ \t]/g, ' ') ?? '');
    console.log(`\nThe message ${marie.to} received (its text part):\n`);
    console.log(`From: ${header('From')}\nTo: ${header('To')}\nReply-To: ${header('Reply-To')}\nSubject: ${marie.subject}\n`);
    console.log(textPart(marie.raw).replace(/\r\n/g, '\n').trimEnd().replace(/^/gm, '  '));
  }
  await run('close', 'voeux-2027', '--yes');
  await run('status');
  await run('check', 'voeux-2027');
} finally {
  server.close();
}
