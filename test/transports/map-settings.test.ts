import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parseMap } from '../../src/config/parse-map.js';
import { formatDiagnostic } from '../../src/errors.js';
import { transportMap } from './maps.js';

const FILE = path.resolve('/maps/team/notify.yaml');
const parse = (extra: string) => parseMap(transportMap(extra), FILE, 'notify.yaml');
const lineOf = (extra: string, needle: string) => transportMap(extra).split('\n').findIndex((l) => l.includes(needle)) + 1;
const errors = (extra: string) => parse(extra).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

describe('transport: and smtp password settings in the map', () => {
  it('reads kind, sendmail_path and dir (resolved inside the map directory)', () => {
    const { map } = parse('transport:\n  kind: file\n  dir: mail/outbox\n  sendmail_path: /usr/lib/sendmail\n');
    expect(map?.transport).toMatchObject({ kind: 'file', dir: path.join(path.dirname(FILE), 'mail', 'outbox'), sendmailPath: '/usr/lib/sendmail' });
  });

  it.each([
    ['../outbox', 'dir: ../outbox'],
    ['/var/mail/outbox', 'dir: /var/mail/outbox'],
    ['a/../../b', 'dir: a/../../b'],
  ])('a dir that escapes the map directory (%s) is an error at its line', (_d, entry) => {
    const extra = `transport:\n  kind: file\n  ${entry}\n`;
    const line = lineOf(extra, entry);
    expect(errors(extra)).toEqual([expect.stringMatching(new RegExp(`^notify\\.yaml:${line}:\\d+: transport\\.dir ".*" must be a relative path to a folder inside the map's directory`))]);
  });

  it('an unknown kind names the choices, with a suggestion', () => {
    const extra = 'transport: { kind: sendmial }\n';
    expect(errors(extra)).toEqual([expect.stringMatching(new RegExp(`^notify\\.yaml:${lineOf(extra, 'sendmial')}:\\d+: transport\\.kind "sendmial" is not one of smtp, sendmail, file \\(did you mean "sendmail"\\?\\)`))]);
  });

  it('a transport without kind, or with an unknown key, is an error', () => {
    expect(errors('transport:\n  dir: outbox\n').join('\n')).toContain('transport needs a kind');
    expect(errors('transport:\n  kind: file\n  folder: outbox\n').join('\n')).toContain('unknown key "folder" in transport');
  });

  it('password_file resolves against the map; only one password source is allowed', () => {
    const { map } = parse('smtp:\n  url: smtp://mail.acme.test:587\n  user: bot\n  password_file: ../secret/smtp\n');
    expect(map?.smtp?.passwordFile).toBe(path.resolve(path.dirname(FILE), '../secret/smtp'));
    const extra = 'smtp:\n  url: smtp://mail.acme.test:587\n  password_env: SMTP_PASS\n  password_command: "pass show smtp"\n';
    expect(errors(extra)).toEqual([`notify.yaml:${lineOf(extra, 'password_command')}:3: smtp: give one of password_env, password_file, password_command, not password_env and password_command`]);
  });

  it('smtp.pool holds max_connections and rate_per_second; each may sit directly under smtp, once', () => {
    expect(parse('smtp:\n  pool:\n    max_connections: 2\n    rate_per_second: 0.5\n').map?.smtp).toMatchObject({ maxConnections: 2, ratePerSecond: 0.5 });
    expect(parse('smtp:\n  max_connections: 4\n  pool: { rate_per_second: 3 }\n').map?.smtp).toMatchObject({ maxConnections: 4, ratePerSecond: 3 });
    const twice = 'smtp:\n  max_connections: 4\n  pool:\n    max_connections: 2\n';
    expect(errors(twice)).toEqual([`notify.yaml:${lineOf(twice, '    max_connections: 2')}:5: smtp.pool.max_connections: max_connections is set twice (under smtp and under smtp.pool); keep one`]);
    const misspelt = 'smtp:\n  pool:\n    max_conections: 2\n';
    expect(errors(misspelt)).toEqual([expect.stringMatching(new RegExp(`^notify\\.yaml:${lineOf(misspelt, 'max_conections')}:5: unknown key "max_conections" in smtp\\.pool \\(did you mean "max_connections"\\?\\)`))]);
    expect(errors('smtp:\n  pool: { max_connections: 0 }\n').join('\n')).toMatch(/smtp\.pool\.max_connections/);
  });
});
