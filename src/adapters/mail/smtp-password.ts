/**
 * The SMTP password from smtp.password_file or smtp.password_command (a password manager).
 * The password is never printed: errors name the map line and the command's stderr only.
 */
import fs from 'node:fs';
import { displayPath } from '../../config/load.js';
import type { SmtpSettings, StakeholderMap } from '../../domain/map.js';
import { UsageError } from '../../errors.js';
import { maskUrls } from './smtp-url.js';

/** From smtp.password_file, else smtp.password_command; undefined when the map names neither. */
/** `key`: the map block the settings come from, as messages name it (smtp, replies.imap). */
export async function passwordFromMap(map: StakeholderMap, s: Pick<SmtpSettings, 'passwordFile' | 'passwordCommand' | 'passwordPos'>, env: Record<string, string | undefined>, cwd = map.dir, key = 'smtp'): Promise<string | undefined> {
  const where = `${displayPath(cwd, map.file)}:${s.passwordPos?.line ?? 1}:${s.passwordPos?.col ?? 1}`;
  if (s.passwordFile) {
    let text: string;
    try {
      text = fs.readFileSync(s.passwordFile, 'utf8');
    } catch (err) {
      throw new UsageError(`${where}: ${key}.password_file ${displayPath(cwd, s.passwordFile)} cannot be read (${(err as NodeJS.ErrnoException).code})`, 'create it with the password on one line, readable only by you (chmod 600)');
    }
    const pass = text.replace(/\r?\n$/, '');
    if (!pass) throw new UsageError(`${where}: ${key}.password_file ${displayPath(cwd, s.passwordFile)} is empty`);
    return pass;
  }
  if (!s.passwordCommand) return undefined;
  // execa loads only for a map that names a command, not for every SMTP close.
  const { execa } = await import('execa');
  const result = await execa(s.passwordCommand, { shell: true, cwd: map.dir, env, reject: false, stdin: 'inherit', stdout: 'pipe', stderr: 'pipe', timeout: 120_000 });
  if (result.failed) {
    const why = result.timedOut ? 'timed out' : result.exitCode !== undefined ? `exit ${result.exitCode}` : (result.signal ?? 'could not run');
    const said = maskUrls(lastLine(String(result.stderr ?? '')));
    throw new UsageError(`${where}: ${key}.password_command failed (${why})${said ? `: ${said}` : ''}`, 'run the command yourself to check it prints the password; nothing was sent');
  }
  const pass = String(result.stdout ?? '').trim();
  if (!pass) throw new UsageError(`${where}: ${key}.password_command printed nothing; it must print the password on stdout`);
  return pass;
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').pop() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
