/**
 * A client that only speaks SMTP, to measure a sink's ceiling where Postfix's smtp-source is
 * missing: `connections` connections, each sending its share of `messages` messages of `bytes`
 * bytes one after another, every command waiting for its reply (as smtp-source does).
 * Resolves with the number of messages the sink accepted with 250.
 */
import net from 'node:net';

export async function rawSource({ port, connections, messages, bytes }) {
  const body = messageOf(bytes);
  let left = messages;
  let accepted = 0;
  const one = async () => {
    const s = await session(port);
    try {
      await s.reply();
      await s.command('EHLO raw-source');
      while (left > 0) {
        left--;
        await s.command('MAIL FROM:<source@bench.example>');
        await s.command('RCPT TO:<sink@bench.example>');
        await s.command('DATA');
        if ((await s.command(body)).startsWith('250')) accepted++;
      }
      await s.command('QUIT');
    } finally {
      s.socket.destroy();
    }
  };
  await Promise.all(Array.from({ length: connections }, one));
  return accepted;
}

/** About `bytes` bytes of headers and lines of text, dot-terminated. */
function messageOf(bytes) {
  const head = 'From: <source@bench.example>\r\nTo: <sink@bench.example>\r\nSubject: ceiling\r\n\r\n';
  const line = 'The shelf prices change on Monday, in every store of the chain.\r\n';
  const text = head + line.repeat(Math.max(1, Math.ceil((bytes - head.length) / line.length)));
  return `${text}.`;
}

function session(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let partial = '';
    const replies = [];
    const waiters = [];
    socket.on('data', (chunk) => {
      const lines = (partial + chunk.toString('latin1')).split('\r\n');
      partial = lines.pop();
      // The last line of a reply has a space (or nothing) after its code.
      for (const line of lines) if (!/^\d{3}-/.test(line)) replies.push(line);
      while (replies.length && waiters.length) waiters.shift()(replies.shift());
    });
    const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((r) => waiters.push(r)));
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        reply: next,
        command(line) {
          socket.write(`${line}\r\n`);
          return next();
        },
      }),
    );
  });
}
