#!/usr/bin/env node
/**
 * npm run bench: notify against the raw tools it is built on, side by side in one run.
 *   1. send throughput: notify close to 10,000 recipients vs bare pooled nodemailer
 *   2. startup: notify --version and notify stakeholders --json vs node -e 0
 *   3. big logs: notify status / check over 1,000,000 events vs jq
 *   4. scaling: send throughput at 100, 1,000 and 10,000 recipients
 *   5. big map: notify validate on 50,000 parties (3.6 MB), and on a quarter of it
 * Data goes to a temporary directory that is removed at the end. BENCH_KEEP=1 keeps it.
 * BENCH_ONLY=send,startup,logs,scaling,map runs a subset.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLargeMap, writeLog, writeMap } from './generate.mjs';
import { has, medianMs, run } from './measure.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const BIN = path.join(ROOT, 'bin', 'notify.js');
const CONNECTIONS = 5;
const ROUNDS = 3;
const only = new Set((process.env.BENCH_ONLY ?? 'send,startup,logs,scaling,map').split(','));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-bench-'));
const node = process.execPath;

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
function figure(label, value, anchorLabel, anchor, ratio, target) {
  console.log(`${label.padEnd(34)} ${value.padStart(14)}   ${anchorLabel.padEnd(22)} ${anchor.padStart(14)}   ${`${fmt(ratio, 2)}x`.padStart(6)}  ${target}`);
}

async function startSink() {
  const child = fork(path.join(HERE, 'smtp-sink.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve) => child.once('message', (m) => resolve(m.port)));
  const ask = (msg) => new Promise((resolve) => (child.once('message', resolve), child.send(msg)));
  return { port, stats: () => ask('stats'), reset: () => ask('reset'), stop: () => child.send('stop') };
}

/** One close of `parties` x 10 recipients: notify, then the bare script, against the same sink. */
async function sendRound(sink, parties, round) {
  const dir = path.join(tmp, `send-${parties}-${round}`);
  writeMap(dir, parties);
  const recipients = parties * 10;
  await sink.reset();
  const env = { CI: 'true', NO_COLOR: '1', NOTIFY_SMTP_URL: `smtp://127.0.0.1:${sink.port}` };
  const n = await run(node, [BIN, 'close', 'price-update', '--yes', '--summary', 'New shelf prices from Monday', '--concurrency', String(CONNECTIONS)], { cwd: dir, env });
  if (n.code !== 0) throw new Error(`notify close exited ${n.code}:\n${n.stderr.slice(-2000)}`);
  const got = await sink.stats();
  if (got.count !== recipients) throw new Error(`the sink received ${got.count} messages from notify, expected ${recipients}`);
  const log = fs.readFileSync(path.join(dir, '.notify', 'log.jsonl'), 'utf8');
  const sentLines = log.split('\n').filter((l) => l.includes('"event":"notification.sent"')).length;
  if (sentLines !== recipients) throw new Error(`the log holds ${sentLines} sent lines, expected ${recipients}`);
  // About 650 bytes of headers and MIME parts, then the text twice (plain and HTML).
  const bodyChars = Math.max(100, Math.round((got.bytes / got.count - 650) / 2));
  await sink.reset();
  const b = await run(node, [path.join(HERE, 'bare-send.mjs'), String(sink.port), String(parties), '10', String(CONNECTIONS), String(bodyChars)], { cwd: dir });
  if (b.code !== 0) throw new Error(`bare script exited ${b.code}:\n${b.stderr}`);
  const bare = await sink.stats();
  if (bare.count !== recipients) throw new Error(`the sink received ${bare.count} messages from the bare script, expected ${recipients}`);
  return { recipients, notifyRate: recipients / (n.ms / 1000), bareRate: recipients / (b.ms / 1000), peakMB: n.peakMB, bytes: got.bytes / got.count, bareBytes: bare.bytes / bare.count, notifyCpu: n.cpuMs, bareCpu: b.cpuMs };
}

/**
 * ROUNDS alternating rounds of sendRound: the median rates and the median of the per-round
 * ratios (both processes share 2 cores with the sink, so one round alone is noisy), peak memory
 * and CPU of the worst round.
 */
async function sendRounds(sink, parties) {
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await sendRound(sink, parties, i));
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratios = rounds.map((r) => r.notifyRate / r.bareRate);
  return {
    ...rounds[0],
    notifyRate: median(rounds.map((r) => r.notifyRate)),
    bareRate: median(rounds.map((r) => r.bareRate)),
    ratio: median([...ratios]),
    rounds,
    peakMB: Math.max(...rounds.map((r) => r.peakMB)),
    notifyCpu: rounds[0].notifyCpu === undefined ? undefined : median(rounds.map((r) => r.notifyCpu)),
    bareCpu: rounds[0].bareCpu === undefined ? undefined : median(rounds.map((r) => r.bareCpu)),
  };
}

async function sendFigures() {
  const sink = await startSink();
  const results = new Map();
  try {
    if (only.has('send')) {
      console.log(`\n1. Send throughput: notify close vs bare nodemailer pool (${CONNECTIONS} connections, SMTP sink in its own process, wall time of each process, median of ${ROUNDS} alternating rounds)`);
      const r = await sendRounds(sink, 1000);
      figure(`notify close, ${fmt(r.recipients)} recipients`, `${fmt(r.notifyRate)} msg/s`, 'bare nodemailer', `${fmt(r.bareRate)} msg/s`, r.ratio, `target >= 0.8x  ${verdict(r.ratio >= 0.8)}`);
      console.log(`  (each round: ${r.rounds.map((x) => `${fmt(x.notifyRate / x.bareRate, 2)}x ${fmt(x.peakMB)} MB`).join(', ')})`);
      console.log(`${'notify close, peak memory'.padEnd(34)} ${`${fmt(r.peakMB)} MB`.padStart(14)}   ${'target'.padEnd(22)} ${'250 MB'.padStart(14)}   ${`${fmt(r.peakMB / 250, 2)}x`.padStart(6)}  ${verdict(r.peakMB < 250)}`);
      console.log(`  (average message: notify ${fmt(r.bytes)} bytes, bare script ${fmt(r.bareBytes)} bytes${r.notifyCpu === undefined ? '' : `; CPU time: notify ${fmt(r.notifyCpu / 1000, 1)} s, bare script ${fmt(r.bareCpu / 1000, 1)} s`})`);
      results.set(1000, r);
    }
    if (only.has('scaling')) {
      console.log('\n4. Scaling: send throughput by number of recipients');
      const points = [];
      for (const parties of [10, 100, 1000]) {
        const r = results.get(parties) ?? (await sendRounds(sink, parties));
        points.push(r);
        figure(`notify close, ${fmt(r.recipients)} recipients`, `${fmt(r.notifyRate)} msg/s`, 'bare nodemailer', `${fmt(r.bareRate)} msg/s`, r.ratio, `peak ${fmt(r.peakMB)} MB${r.notifyCpu === undefined ? "" : `, CPU ${fmt(r.notifyCpu / r.recipients, 2)} ms/msg (bare ${fmt(r.bareCpu / r.recipients, 2)})`}`);
      }
      // Wall time as a fixed cost plus a cost per message, through the smallest and largest
      // closes; the middle one shows whether the line holds.
      const line = (rate) => {
        const [lo, mid, hi] = points.map((p) => ({ n: p.recipients, ms: (p.recipients / rate(p)) * 1000 }));
        const perMsg = (hi.ms - lo.ms) / (hi.n - lo.n);
        const fixed = lo.ms - perMsg * lo.n;
        return `${fmt(fixed)} ms + ${fmt(perMsg, 3)} ms/msg (${fmt(mid.n)}: predicted ${fmt(fixed + perMsg * mid.n)} ms, measured ${fmt(mid.ms)} ms)`;
      };
      console.log(`  wall time, notify: ${line((p) => p.notifyRate)}`);
      console.log(`  wall time, bare:   ${line((p) => p.bareRate)}`);
    }
  } finally {
    sink.stop();
  }
}

function startupFigures() {
  console.log('\n2. Startup: median of 11 runs');
  const dir = path.join(tmp, 'startup');
  writeMap(dir, 1000);
  const env = { CI: 'true', NO_COLOR: '1' };
  const bare = medianMs(node, ['-e', '0'], { cwd: dir, env });
  const version = medianMs(node, [BIN, '--version'], { cwd: dir, env });
  // The first run fills the map cache; medianMs discards it as its warm-up.
  const stakeholders = medianMs(node, [BIN, 'stakeholders', '--json'], { cwd: dir, env });
  figure('notify --version', `${fmt(version)} ms`, 'node -e 0', `${fmt(bare)} ms`, version / bare, `target <= 1.3x  ${verdict(version / bare <= 1.3)}`);
  figure('notify stakeholders --json (1,000)', `${fmt(stakeholders)} ms`, 'node -e 0', `${fmt(bare)} ms`, stakeholders / bare, `target <= 2x  ${verdict(stakeholders / bare <= 2)}`);
  fs.rmSync(path.join(dir, '.notify'), { recursive: true, force: true });
  const cold = medianMs(node, [BIN, 'stakeholders', '--json'], { cwd: dir, env: { ...env, NOTIFY_NO_CACHE: '1' } }, 3);
  figure('  same, without the map cache', `${fmt(cold)} ms`, 'node -e 0', `${fmt(bare)} ms`, cold / bare, '(for reference)');
}

async function logFigures() {
  console.log('\n3. Big logs: 1,000,000 events over 5,000 projects');
  if (!has('jq')) {
    console.log('  jq not found, skipping');
    return;
  }
  const dir = path.join(tmp, 'logs');
  writeMap(dir, 1000);
  const log = path.join(dir, '.notify', 'log.jsonl');
  const { lines, bytes } = writeLog(log, { events: 1_000_000, projects: 5000, parties: 1000 });
  console.log(`  log: ${fmt(lines)} lines, ${fmt(bytes / 1024 / 1024)} MB`);
  const env = { CI: 'true', NO_COLOR: '1' };
  const jqArgs = ['-c', 'select(.event=="project.closed") | .project', log];
  await run('cat', [log], { discardStdout: true }); // page cache warm for everyone
  // The map cache warm, as after any earlier command: these figures are about the log.
  await run(node, [BIN, 'stakeholders', '--json'], { cwd: dir, env, discardStdout: true });
  const jq = await run('jq', jqArgs, { discardStdout: true });
  if (jq.code !== 0) throw new Error(`jq failed: ${jq.stderr}`);
  const status = await run(node, [BIN, 'status', '--json'], { cwd: dir, env, discardStdout: true });
  if (status.code !== 0) throw new Error(`notify status exited ${status.code}: ${status.stderr}`);
  const project = 'project-02499'; // open: its last result is missing
  const checkCold = await run(node, [BIN, 'check', project, '--json'], { cwd: dir, env });
  const check = await run(node, [BIN, 'check', project, '--json'], { cwd: dir, env });
  if (check.code !== 1 || !JSON.parse(check.stdout).pending) throw new Error(`notify check exited ${check.code}: ${check.stderr}`);
  figure('notify status --json', `${fmt(status.ms)} ms`, 'jq select closed', `${fmt(jq.ms)} ms`, status.ms / jq.ms, `target <= 1x  ${verdict(status.ms <= jq.ms)}`);
  figure('notify check <project>', `${fmt(check.ms)} ms`, 'jq select closed', `${fmt(jq.ms)} ms`, check.ms / jq.ms, `target <= 0.25x  ${verdict(check.ms <= 0.25 * jq.ms)}`);
  figure('  first check (builds the index)', `${fmt(checkCold.ms)} ms`, 'jq select closed', `${fmt(jq.ms)} ms`, checkCold.ms / jq.ms, '(for reference)');
  const peak = Math.max(status.peakMB, checkCold.peakMB, check.peakMB);
  console.log(`${'peak memory (status, check)'.padEnd(34)} ${`${fmt(peak)} MB`.padStart(14)}   ${'target'.padEnd(22)} ${'150 MB'.padStart(14)}   ${`${fmt(peak / 150, 2)}x`.padStart(6)}  ${verdict(peak < 150)}`);
}

/** A map near the 5 MB cap, parsed without the map cache: the time must grow in proportion to the parties. */
async function mapFigures() {
  console.log('\n5. Big map: notify validate, without the map cache');
  const env = { CI: 'true', NO_COLOR: '1', NOTIFY_NO_CACHE: '1' };
  const measure = async (parties) => {
    const dir = path.join(tmp, `map-${parties}`);
    const bytes = fs.statSync(writeLargeMap(dir, parties)).size;
    const r = await run(node, [BIN, 'validate'], { cwd: dir, env });
    if (r.code !== 0) throw new Error(`notify validate exited ${r.code}: ${r.stderr.slice(-2000)}`);
    return { ...r, bytes };
  };
  const quarter = await measure(12_500);
  const full = await measure(50_000);
  figure('notify validate, 50,000 parties', `${fmt(full.ms / 1000, 1)} s`, 'target', '10.0 s', full.ms / 10_000, `target < 10 s  ${verdict(full.ms < 10_000)}`);
  console.log(`  (map of ${fmt(full.bytes / 1024 / 1024, 1)} MB, peak ${fmt(full.peakMB)} MB; 12,500 parties: ${fmt(quarter.ms / 1000, 1)} s)`);
  // Four times the parties: linear is about 4x the time (less, with the fixed start-up cost).
  const ratio = full.ms / quarter.ms;
  figure('  4x the parties', `${fmt(ratio, 1)}x the time`, 'linear', '4x', ratio / 4, `target <= 5x  ${verdict(ratio <= 5)}`);
}

const started = performance.now();
try {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('run "npm run build" first');
  console.log(`notify bench: Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${os.platform()} ${os.release()}`);
  if (only.has('startup')) startupFigures();
  if (only.has('logs')) await logFigures();
  if (only.has('map')) await mapFigures();
  if (only.has('send') || only.has('scaling')) await sendFigures();
  console.log(`\ndone in ${fmt((performance.now() - started) / 1000, 1)} s`);
} finally {
  if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`data kept in ${tmp}`);
}
