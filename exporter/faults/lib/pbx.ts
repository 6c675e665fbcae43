import { AmiServer, type ActionHandler, type AmiSession } from '../../src/demo/ami/ami-server';
import { EMPTY_RESYNC } from '../../src/demo/ami/empty-resync';

export const USER = { username: 'faults', secret: 'fault-suite-ami-secret' };

/** A fake Asterisk on loopback (the same one the tests and the demo use), speaking real AMI over TCP. */
export async function fakeAsterisk(actions: Record<string, ActionHandler> = {}): Promise<AmiServer> {
  // the resync lists answered empty unless a scenario says otherwise
  const server = new AmiServer({ ...USER, actions: { ...EMPTY_RESYNC, ...actions } });
  await server.listen();
  return server;
}

/** The exporter's source entry for a fake Asterisk. */
export function amiSource(name: string, port: number, extra = ''): string {
  return `  - { name: ${name}, kind: ami, host: 127.0.0.1, port: ${port}, username: ${USER.username}, secret: ${USER.secret}, reconnectMaxSeconds: 1${extra ? `, ${extra}` : ''} }`;
}

/** Resolves with the next logged-in session. */
export function nextLogin(server: AmiServer): Promise<AmiSession> {
  return new Promise((resolve) => server.once('login', resolve));
}
