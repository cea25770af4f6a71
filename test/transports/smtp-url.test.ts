import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { maskUrl, maskUrls, readSmtpUrl } from '../../src/adapters/mail/smtp-url.js';

/** The UsageError readSmtpUrl throws, or a failure if it throws anything else or nothing. */
function refusal(raw: string): UsageError {
  try {
    readSmtpUrl(raw, 'NOTIFY_SMTP_URL');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`${raw} was accepted`);
}

describe('readSmtpUrl: a mistake in the URL is a usage error, never a crash', () => {
  it.each([
    ['smtp://bot:100%@mail.example.com:25', 'the password in NOTIFY_SMTP_URL must be percent-encoded (write %25 for %)'],
    ['smtp://bot:%zz@mail.example.com:25', 'the password in NOTIFY_SMTP_URL must be percent-encoded (write %25 for %)'],
    ['smtp://b%t:pw@mail.example.com:25', 'the user name in NOTIFY_SMTP_URL must be percent-encoded (write %25 for %)'],
    ['smtp://bot:%C3%28@mail.example.com:25', 'the password in NOTIFY_SMTP_URL is not valid percent-encoded UTF-8'],
    ['smtp://bot:pw@mail.example.com:99999', 'NOTIFY_SMTP_URL is not a valid URL'],
    ['https://mail.example.com', 'NOTIFY_SMTP_URL must start with smtp:// or smtps://'],
    ['smtp://', 'NOTIFY_SMTP_URL has no host'],
    ['smtp://mail%.example.com:25', 'NOTIFY_SMTP_URL has a "%" in its host name'],
  ])('%s', (raw, message) => {
    const err = refusal(raw);
    expect(err.message).toBe(message);
    expect(err.exitCode).toBe(2);
  });

  it('never repeats the user info in a message or a hint', () => {
    for (const raw of ['smtp://bot:S3cret%PW@h:25', 'smtp://S3cret%PW:x@h:25', 'smtp://bot:S3cretPW@h:99999', 'smtp://bot:%C3%28S3cretPW@h']) {
      const err = refusal(raw);
      expect(`${err.message} ${err.hint}`).not.toContain('S3cret');
    }
  });

  it('decodes what is percent-encoded, and reads the defaults and the parameters', () => {
    expect(readSmtpUrl('smtp://bot%40acme:100%25%20sure@mail.example.com', 'x')).toEqual({ host: 'mail.example.com', port: 587, secure: false, user: 'bot@acme', pass: '100% sure', requireTls: false, timeoutSeconds: undefined });
    expect(readSmtpUrl('smtps://[::1]?require_tls=true&timeout_seconds=5', 'x')).toMatchObject({ host: '::1', port: 465, secure: true, user: undefined, pass: undefined, requireTls: true, timeoutSeconds: 5 });
  });
});

describe('maskUrl / maskUrls: a URL shown with its password replaced by ***', () => {
  it.each([
    ['smtp://bot:S3cretPW@mail.example.com:587/x', 'smtp://bot:***@mail.example.com:587/x'],
    ['smtp://bot:p@ss/wo#rd@mail.example.com', 'smtp://bot:***@mail.example.com'],
    ['smtp://bot:my secret@mail.example.com', 'smtp://bot:***@mail.example.com'],
    ['smtp://bot@mail.example.com:587', 'smtp://bot@mail.example.com:587'],
    ['smtp://mail.example.com:587', 'smtp://mail.example.com:587'],
    ['not a url', 'not a url'],
  ])('%s', (url, shown) => {
    expect(maskUrl(url)).toBe(shown);
  });

  it('masks each URL in a message and leaves the rest alone', () => {
    expect(maskUrls('smtp.url "smtp://bot:S3cretPW@mail.example.com:587/x" must look like smtp://host:587')).toBe('smtp.url "smtp://bot:***@mail.example.com:587/x" must look like smtp://host:587');
    expect(maskUrls('unknown key "https://u:S3cretPW@h/a" in the map; and <smtp://a:b@c>')).toBe('unknown key "https://u:***@h/a" in the map; and <smtp://a:***@c>');
    expect(maskUrls('contact ann@example.com: 1')).toBe('contact ann@example.com: 1');
  });
});
