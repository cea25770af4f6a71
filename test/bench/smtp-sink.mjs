/** An SMTP server that accepts everything, in its own process; reports counts over IPC. */
import { SMTPServer } from 'smtp-server';

let count = 0;
let bytes = 0;
const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  disableReverseLookup: true, // loopback: no DNS round trip per connection
  logger: false,
  onData(stream, _session, cb) {
    stream.on('data', (c) => (bytes += c.length));
    stream.on('end', () => {
      count++;
      cb();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
process.on('message', (m) => {
  if (m === 'stats') process.send({ count, bytes });
  if (m === 'reset') (count = 0), (bytes = 0), process.send({ reset: true });
  if (m === 'stop') server.close(() => process.exit(0));
});
