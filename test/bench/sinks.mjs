/**
 * The SMTP sink the send figures are measured against, and its own ceiling. Postfix's smtp-sink
 * (a C program that answers at once and keeps nothing) when it is installed; else the bench's
 * own raw-socket sink (raw-sink.mjs) in a process of its own. Either way the sink is started
 * once and counts what it received, so every close is checked to have delivered every message.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const POSTFIX_SINK = ['/usr/sbin/smtp-sink', '/usr/bin/smtp-sink'].find((f) => fs.existsSync(f));
const POSTFIX_SOURCE = ['/usr/sbin/smtp-source', '/usr/bin/smtp-source'].find((f) => fs.existsSync(f));

/** Postfix's smtp-sink, after installing it when it is missing and `install` allows it. */
export async function startSink({ install = true, kind } = {}) {
  if (kind !== 'raw' && !POSTFIX_SINK && install) installPostfixTools();
  const sinkBin = kind === 'raw' ? undefined : POSTFIX_SINK ?? findPostfix('smtp-sink');
  return sinkBin ? startPostfixSink(sinkBin) : startRawSinkProcess();
}

function findPostfix(name) {
  return ['/usr/sbin', '/usr/bin'].map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
}

function installPostfixTools() {
  const script = path.join(HERE, 'install-sink.sh');
  const r = spawnSync('sh', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) console.log('  (smtp-sink could not be installed: measuring against the bench\'s own raw-socket sink)');
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startPostfixSink(bin) {
  const port = await freePort();
  // -c: counters on stdout ("sess=N quit=N mesg=N", one per event); -u: smtp-sink will not run as root.
  const args = ['-c', ...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '256'];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out = (out + c).slice(-200)));
  child.stderr.on('data', (c) => (err += c));
  await waitForPort(port, () => err);
  const delivered = () => Number(/mesg=(\d+)\s*$/.exec(out)?.[1] ?? 0);
  let base = 0;
  const source = findPostfix('smtp-source') ?? POSTFIX_SOURCE;
  return {
    name: "Postfix's smtp-sink",
    port,
    count: async () => delivered() - base,
    reset: async () => void (base = delivered()),
    ceilingTool: source ? "Postfix's smtp-source" : 'a raw-socket client',
    /** Messages a second a client that only speaks SMTP gets through this sink. */
    async ceiling({ connections, messages, bytes }) {
      if (!source) return rawCeiling(port, { connections, messages, bytes });
      const start = performance.now();
      // Not spawnSync: the sink's counters must keep being read meanwhile, or its stdout fills.
      const code = await new Promise((resolve, reject) => {
        const c = spawn(source, ['-s', String(connections), '-m', String(messages), '-d', '-l', String(bytes), '-f', 'source@bench.example', '-t', 'sink@bench.example', `127.0.0.1:${port}`], { stdio: 'ignore' });
        c.once('error', reject);
        c.once('exit', resolve);
      });
      if (code !== 0) throw new Error(`smtp-source exited ${code}`);
      return messages / ((performance.now() - start) / 1000);
    },
    stop: () => child.kill(),
  };
}

async function startRawSinkProcess() {
  const child = fork(path.join(HERE, 'raw-sink.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve) => child.once('message', (m) => resolve(m.port)));
  const ask = (msg) => new Promise((resolve) => (child.once('message', resolve), child.send(msg)));
  return {
    name: "the bench's raw-socket sink (Postfix's smtp-sink is not installed)",
    port,
    count: async () => (await ask('stats')).count,
    bytes: async () => (await ask('stats')).bytes,
    reset: () => ask('reset'),
    ceilingTool: 'a raw-socket client',
    ceiling: (o) => rawCeiling(port, o),
    stop: () => child.send('stop'),
  };
}

/** The raw client runs in a process of its own, as smtp-source would (not spawnSync: the sink is read meanwhile). */
async function rawCeiling(port, { connections, messages, bytes }) {
  const code = `import { rawSource } from ${JSON.stringify(new URL('./raw-source.mjs', import.meta.url).href)};
const start = performance.now();
const n = await rawSource({ port: ${port}, connections: ${connections}, messages: ${messages}, bytes: ${bytes} });
if (n !== ${messages}) throw new Error('the sink accepted ' + n + ' of ${messages}');
console.log(${messages} / ((performance.now() - start) / 1000));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const status = await new Promise((resolve) => child.once('close', resolve));
  if (status !== 0) throw new Error(`the raw-socket client failed: ${err}`);
  return Number(out.trim());
}

async function waitForPort(port, stderr) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`smtp-sink did not start: ${stderr()}`);
}
