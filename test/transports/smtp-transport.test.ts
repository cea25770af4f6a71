/**
 * The SMTP transport on its own against a raw server on loopback: what it may call unknown
 * (only a body that fully left the client) and what a reply that never completes does to a
 * connection that is not the first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../src/adapters/mail/smtp.js';
import type { Transport } from '../../src/domain/transport.js';
import { rawSmtp, type RawScript, type RawSmtp } from '../helpers/raw-smtp.js';

let server: RawSmtp | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  transport?.close();
  await server?.close();
  server = transport = undefined;
});

async function open(script: RawScript, timeoutMs = 1_000) {
  server = await rawSmtp(script);
  transport = await createSmtpTransport({ host: '127.0.0.1', port: server.port, secure: false, requireTls: false, maxConnections: 1, timeoutMs, source: 'test' });
  return { server, transport };
}

const TO = 'ann@example.com';
/** About 8 MB in 998-byte lines: far more than loopback socket buffers hold. */
const BIG = Buffer.from(`Subject: big\r\n\r\n${`${'x'.repeat(996)}\r\n`.repeat(8_000)}`);
const message = (raw: Buffer) => ({ from: 'projects@example.com', to: TO, raw });

describe('a connection reset in the middle of the body', () => {
  it('is a retryable failure, not unknown (the final dot never left), and the retry delivers exactly one copy', async () => {
    let resets = 0;
    const { server, transport } = await open({
      bodyBytes: (c, total) => {
        if (resets === 0 && total >= 256 * 1024) {
          resets++;
          c.socket.resetAndDestroy();
        }
      },
    });
    const first = await transport.send(message(BIG));
    expect(first).toMatchObject({ status: 'failed', permanent: false });
    expect(server.received).toHaveLength(0);
    const again = await transport.send(message(BIG));
    expect(again.status, JSON.stringify(again)).toBe('sent');
    expect(server.countFor(TO)).toBe(1);
  }, 10_000);
});

describe('a reply that never completes on a pooled connection', () => {
  it('EHLO trickling on the connection a send opens: a retryable failure once timeout_seconds is up, then sent on a new one', async () => {
    // Connection 1 verifies the server and carries the first message, then the server drops it;
    // connection 2 is the next one the sends open, and its EHLO never completes.
    const { server, transport } = await open({
      ehlo: (c) => (c.id === 2 ? c.trickle('250-raw.test still listing') : c.reply('250-raw.test', '250 PIPELINING')),
      mail: (c) => (c.id === 1 && c.messages > 0 ? c.socket.destroy() : c.reply('250 sender ok')),
    });
    const small = message(Buffer.from('Subject: hi\r\n\r\nhello\r\n'));
    await transport.verify();
    expect((await transport.send(small)).status).toBe('sent');
    const started = performance.now();
    const first = await transport.send(small);
    expect(performance.now() - started).toBeLessThan(1_000 + 2_000);
    expect(first).toMatchObject({ status: 'failed', permanent: false });
    expect((first as { text: string }).text).toMatch(/EHLO.*1 s/);
    const again = await transport.send(small);
    expect(again.status).toBe('sent');
    expect(server.received.map((m) => m.conn)).toEqual([1, 3]);
  }, 10_000);
});

describe('the connection that verified the server', () => {
  it('carries the first message: no second connection, no second greeting', async () => {
    const { server, transport } = await open({});
    await transport.verify();
    expect((await transport.send(message(Buffer.from('Subject: hi\r\n\r\nhello\r\n')))).status).toBe('sent');
    expect(server.received.map((m) => m.conn)).toEqual([1]);
  });

  it('dropped by the server while it waited (a long confirmation): the first message goes over a new one, with no failure reported', async () => {
    const { server, transport } = await open({ mail: (c) => (c.id === 1 ? c.socket.destroy() : c.reply('250 sender ok')) });
    await transport.verify();
    expect((await transport.send(message(Buffer.from('Subject: hi\r\n\r\nhello\r\n')))).status).toBe('sent');
    expect(server.received.map((m) => m.conn)).toEqual([2]);
  });
});

describe('a kept connection the server dropped', () => {
  it('before a word about the next message: that message goes over a new connection, with no failure reported', async () => {
    const { server, transport } = await open({ mail: (c) => (c.messages > 0 ? c.socket.destroy() : c.reply('250 sender ok')) });
    const small = message(Buffer.from('Subject: hi\r\n\r\nhello\r\n'));
    expect((await transport.send(small)).status).toBe('sent');
    expect((await transport.send(small)).status).toBe('sent');
    expect(server.received.map((m) => m.conn)).toEqual([1, 2]);
  });
});
