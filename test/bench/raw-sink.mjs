/**
 * The bench's own SMTP sink, for a machine without Postfix's smtp-sink: node:net and nothing
 * else. It answers every command the moment its line is complete (pipelined commands in order),
 * takes each message to its final dot, and counts messages and their bytes. It checks nothing
 * and keeps nothing, so it costs the clients it measures as little as a sink can.
 *
 * As a module: startRawSink() resolves with { port, stats(), reset(), close() }. Run as a
 * process (node raw-sink.mjs), it reports its port and answers 'stats', 'reset' and 'stop' over IPC.
 */
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const EHLO = '250-raw-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n';
const END = Buffer.from('\r\n.\r\n');

export function startRawSink(port = 0) {
  let count = 0;
  let bytes = 0;
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    let data = false; // inside DATA: reading up to the final dot
    let pending = Buffer.alloc(0);
    // The last bytes read in DATA, for a final dot split over reads; it starts as the CRLF that
    // ended the DATA command, so that an empty body's "." is found too.
    let tail = Buffer.alloc(0);
    let size = 0;
    socket.write('220 raw-sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      pending = Buffer.alloc(0);
      const replies = [];
      while (buf.length > 0) {
        if (data) {
          const joined = tail.length ? Buffer.concat([tail, buf]) : buf;
          const end = joined.indexOf(END);
          if (end < 0) {
            size += buf.length;
            tail = Buffer.from(joined.subarray(Math.max(0, joined.length - END.length + 1)));
            buf = Buffer.alloc(0);
            break;
          }
          // Counted up to the final dot's line; the body is what came before ".\r\n".
          const used = end + END.length - tail.length;
          size += used;
          buf = buf.subarray(used);
          bytes += size - 3;
          data = false;
          count++;
          replies.push('250 2.0.0 Ok: queued\r\n');
          continue;
        }
        const eol = buf.indexOf('\r\n');
        if (eol < 0) {
          pending = Buffer.from(buf);
          break;
        }
        const verb = buf.toString('latin1', 0, Math.min(eol, 4)).toUpperCase();
        buf = buf.subarray(eol + 2);
        if (verb === 'EHLO') replies.push(EHLO);
        else if (verb === 'DATA') {
          data = true;
          tail = Buffer.from('\r\n');
          size = 0;
          replies.push('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') {
          replies.push('221 2.0.0 Bye\r\n');
          socket.end(replies.join(''));
          return;
        } else replies.push('250 2.0.0 Ok\r\n');
      }
      if (replies.length) socket.write(replies.join(''));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        stats: () => ({ count, bytes }),
        reset: () => ((count = 0), (bytes = 0)),
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sink = await startRawSink();
  process.send?.({ port: sink.port });
  process.on('message', (m) => {
    if (m === 'stats') process.send(sink.stats());
    if (m === 'reset') sink.reset(), process.send({ reset: true });
    if (m === 'stop') void sink.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
}
