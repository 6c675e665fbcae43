import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A CRM on loopback speaking the documented contract; `reply` decides each answer, every request is kept. */
export class FakeCrm {
  readonly requests: { numbers: string[]; headers: IncomingMessage['headers'] }[] = [];
  names = new Map<string, { name: string; company?: string }>();
  reply: (numbers: string[], res: ServerResponse) => void = (numbers, res) => this.answer(numbers, res);
  private server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const { numbers } = JSON.parse(body) as { numbers: string[] };
      this.requests.push({ numbers, headers: req.headers });
      this.reply(numbers, res);
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/lookup`;
    return this;
  }

  answer(numbers: string[], res: ServerResponse): void {
    const contacts = numbers.flatMap((number) => {
      const c = this.names.get(number);
      return c ? [{ number, ...c }] : [];
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ contacts }));
  }

  get asked(): string[] {
    return this.requests.flatMap((r) => r.numbers);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
