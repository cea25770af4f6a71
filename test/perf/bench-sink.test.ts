import { describe, expect, it } from 'vitest';
import net from 'node:net';
import nodemailer from 'nodemailer';
// @ts-expect-error: the bench is plain JavaScript
import { startRawSink } from '../bench/raw-sink.mjs';
// @ts-expect-error: the bench is plain JavaScript
import { rawSource } from '../bench/raw-source.mjs';
// @ts-expect-error: the bench is plain JavaScript
import { costLine } from '../bench/figures.mjs';

interface RawSink {
  port: number;
  stats(): { count: number; bytes: number };
  close(): Promise<void>;
}

/** Writes each piece as its own write, a moment apart, and collects every reply line until the server closes. */
async function converse(port: number, pieces: string[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (c) => (received += c.toString('latin1')));
  await new Promise((resolve) => socket.once('connect', resolve));
  for (const piece of pieces) {
    socket.write(piece);
    // Separate reads on the server side: let the bytes leave before the next piece.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => socket.once('close', resolve));
  return received.split('\r\n').filter(Boolean);
}

describe("the bench's own SMTP sink", () => {
  it('answers pipelined commands in order and counts messages and their bytes, wherever the final dot is split', async () => {
    const sink = (await startRawSink()) as RawSink;
    try {
      const body = 'Subject: a\r\n\r\nline one\r\n..dotted\r\n';
      const replies = await converse(sink.port, [
        'EHLO client\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n',
        `${body}.\r\n`,
        'MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n',
        body.slice(0, -1),
        '\n.',
        '\r',
        '\nQUIT\r\n',
      ]);
      const codes = replies.map((l) => l.slice(0, 4));
      expect(codes).toEqual(['220 ', '250-', '250-', '250-', '250-', '250 ', '250 ', '250 ', '354 ', '250 ', '250 ', '250 ', '354 ', '250 ', '221 ']);
      expect(sink.stats()).toEqual({ count: 2, bytes: 2 * body.length });
    } finally {
      await sink.close();
    }
  });

  it('takes what nodemailer sends, and what the raw client sends to measure its ceiling', async () => {
    const sink = (await startRawSink()) as RawSink;
    try {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 2 });
      const infos = await Promise.all([1, 2, 3].map((i) => transport.sendMail({ from: 'a@b.example', to: `c${i}@d.example`, subject: 'x', text: '.\n..\nend\n' })));
      transport.close();
      expect(infos.map((i) => i.accepted)).toEqual([['c1@d.example'], ['c2@d.example'], ['c3@d.example']]);
      expect(sink.stats().count).toBe(3);
      expect(await rawSource({ port: sink.port, connections: 3, messages: 50, bytes: 2000 })).toBe(50);
      expect(sink.stats().count).toBe(53);
    } finally {
      await sink.close();
    }
  });
});

describe("the bench's cost line", () => {
  it('is fitted through the smallest and largest closes, the middle one checking it', () => {
    const line = costLine([{ n: 1000, ms: 1500 }, { n: 20, ms: 520 }, { n: 10_000, ms: 10_500 }]);
    expect(line.fixed).toBeCloseTo(500);
    expect(line.perMsg).toBeCloseTo(1);
    expect(line.checks).toEqual([{ n: 1000, predicted: expect.closeTo(1500), measured: 1500 }]);
  });
});
