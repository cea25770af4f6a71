/** Run a process and measure its wall time and peak resident memory. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Resolves with { ms, code, stdout, stderr, peakMB, cpuMs } (from /usr/bin/time; without it, peakMB by polling /proc and no cpuMs). */
export function run(cmd, args, opts = {}) {
  const rss = path.join(os.tmpdir(), `notify-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [file, argv] = TIME ? [TIME, ['-f', '%M %U %S', '-o', rss, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polled = 0;
    child.stdout.on('data', (c) => (opts.discardStdout ? undefined : (stdout += c)));
    child.stderr.on('data', (c) => (stderr += c));
    const poll = TIME ? undefined : setInterval(() => (polled = Math.max(polled, vmHwm(child.pid))), 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (poll) clearInterval(poll);
      let peakMB = polled / 1024;
      let cpuMs;
      if (TIME) {
        const [kb, user, sys] = fs.readFileSync(rss, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        peakMB = kb / 1024;
        cpuMs = (user + sys) * 1000;
        fs.rmSync(rss, { force: true });
      }
      resolve({ ms, code, stdout, stderr, peakMB, cpuMs });
    });
  });
}

function vmHwm(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Median wall time of `runs` runs (after one warm-up), without the /usr/bin/time wrapper. */
export function medianMs(cmd, args, opts = {}, runs = 11) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
