/** A chosen transport, created and verified: closed again if the server does not answer as it should. */
import type { Transport } from '../domain/transport.js';
import type { ChosenTransport } from '../ports.js';

export async function openTransport(chosen: ChosenTransport): Promise<Transport> {
  const transport = await chosen.create();
  try {
    await transport.verify();
    return transport;
  } catch (err) {
    transport.close();
    throw err;
  }
}
