/** Open a file in the default browser if there is one; never fails, says what happened. */

export type OpenResult = { opened: true } | { opened: false; why: string };

const WAIT_MS = 5_000;

export async function openInBrowser(file: string, env: Record<string, string | undefined>, platform = process.platform): Promise<OpenResult> {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { opened: false, why: 'no graphical session (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const [cmd, args] = platform === 'darwin' ? ['open', [file]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', file]] : ['xdg-open', [file]];
  const { execa } = await import('execa');
  const sub = execa(cmd, args, { env, reject: false, stdio: 'ignore', detached: true, cleanup: false, windowsVerbatimArguments: platform === 'win32' });
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), WAIT_MS)));
  const r = await Promise.race([sub, gaveUp]);
  clearTimeout(timer);
  // Still running after a while: the opener is the browser itself; leave it be.
  if (r === 'waiting') {
    sub.unref();
    return { opened: true };
  }
  if (r.exitCode === 0) return { opened: true };
  if ((r as { code?: string }).code === 'ENOENT') return { opened: false, why: `${cmd} is not installed` };
  return { opened: false, why: `${cmd} exited with status ${r.exitCode ?? r.signal}` };
}
