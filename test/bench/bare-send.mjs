/**
 * The anchor: nodemailer's pooled transport and nothing else. Sends `count` messages to the
 * same recipients as the notify close, with a body of the same size, then prints the time.
 * Usage: node bare-send.mjs PORT PARTIES CONTACTS CONNECTIONS BODY_CHARS
 */
import nodemailer from 'nodemailer';
import { address } from './generate.mjs';

const [port, parties, contacts, connections, bodyChars] = process.argv.slice(2).map(Number);
const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, secure: false, ignoreTLS: true, maxConnections: connections, maxMessages: Infinity, logger: false });
const text = 'The shelf prices change on Monday. '.repeat(Math.ceil(bodyChars / 35)).slice(0, bodyChars);
const html = `<p>${text}</p>`;
const sends = [];
for (let p = 0; p < parties; p++) {
  for (let c = 0; c < contacts; c++) {
    sends.push(transport.sendMail({ from: 'Projects <projects@bench.example>', to: `Manager ${c} <${address(p, c)}>`, subject: 'Price update in every store', text, html }));
  }
}
await Promise.all(sends);
transport.close();
