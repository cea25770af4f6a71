/** Who is running notify, as git knows them: user.name and user.email, read with `git config`. */
import { execFile } from 'node:child_process';

/**
 * "Name <email>" from git's configuration as seen from `dir` (the repository's, the user's and the
 * system's), "Name" or "email" when only one is set, undefined when neither is, or git is missing.
 * Never throws: the identity is a label for the audit trail, not a reason to stop a close.
 *
 * node:child_process rather than execa, the project's usual choice: every close that decides
 * runs this one read-only command, and loading execa costs about 200 ms against 6 ms for the call.
 */
export function gitIdentity(dir: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  // One process for both keys; --includes follows include.path as git itself does.
  const args = ['config', '--includes', '--get-regexp', '^user\\.(name|email)$'];
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd: dir, env: { ...process.env, ...env, GIT_TERMINAL_PROMPT: '0' }, timeout: 5_000, windowsHide: true }, (err, stdout) => {
      if (err) return resolve(undefined);
      const values = new Map<string, string>();
      // The last value of a key wins, as with `git config --get`.
      for (const line of String(stdout).split('\n')) {
        const m = /^user\.(name|email) (.*)$/i.exec(line.trim());
        if (m && m[2].trim()) values.set(m[1].toLowerCase(), m[2].trim());
      }
      resolve(formatIdentity(values.get('name'), values.get('email')));
    });
    child.stdin?.end();
  });
}

export function formatIdentity(name: string | undefined, email: string | undefined): string | undefined {
  const clean = (s: string | undefined) => s?.replace(/[\r\n<>]+/g, ' ').trim() || undefined;
  const n = clean(name);
  const e = clean(email);
  if (n && e) return `${n} <${e}>`;
  return n ?? e;
}
