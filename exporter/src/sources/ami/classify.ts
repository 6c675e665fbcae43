import type { LegKind } from '../../domain/leg-events';
import type { TrunkRules } from './config';

export interface ChannelName {
  tech: string;
  /** endpoint / device (`1001`, `trunk`), or for Local channels `exten@context` */
  resource: string;
  /** the two halves of a Local channel share this */
  pair?: string;
}

const CHANNEL = /^([A-Za-z0-9_]+)\/(.+?)(?:-([0-9a-fA-F]+))?(;[12])?$/;

export function parseChannel(channel: string): ChannelName | undefined {
  const m = CHANNEL.exec(channel);
  if (!m) return undefined;
  const [, tech, resource, , half] = m;
  return half ? { tech, resource, pair: channel.slice(0, -2) } : { tech, resource };
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}

/** Decides what a channel is from its endpoint name and the context it started in. */
export class Classifier {
  private readonly endpointPatterns: RegExp[];
  private readonly contexts: Set<string>;

  /** `contexts`: an endpoint's channels start in its own context, so a trunk's inbound legs show there */
  constructor(rules: TrunkRules) {
    this.endpointPatterns = rules.endpoints.map(globToRegExp);
    this.contexts = new Set(rules.contexts.map((c) => c.toLowerCase()));
  }

  isTrunkEndpoint(endpoint: string): boolean {
    return this.endpointPatterns.some((r) => r.test(endpoint));
  }

  isTrunkContext(context: string | undefined): boolean {
    return !!context && this.contexts.has(context.toLowerCase());
  }

  kind(name: ChannelName | undefined, context: string | undefined): LegKind {
    if (!name) return 'other';
    const tech = name.tech.toLowerCase();
    if (tech === 'local') return 'local';
    if (!PHONE_TECHS.has(tech)) return 'other';
    if (this.isTrunkEndpoint(name.resource) || this.isTrunkContext(context)) return 'trunk';
    return 'extension';
  }
}

/** Channel technologies that carry a person or a line; the rest (Announcer, CBAnn, Snoop, Message…) is plumbing. */
const PHONE_TECHS = new Set(['pjsip', 'sip', 'iax2', 'dahdi', 'skinny', 'unistim', 'mgcp', 'h323', 'ooh323', 'motif', 'console', 'websocket']);

/** `PJSIP/1003`, `Local/1005@from-queue/n`, `hint:1005@ext-local`, `SIP/1003` → `1003`-style extension number. */
export function extensionOfInterface(iface: string): string {
  let s = iface.replace(/^hint:/i, '');
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  s = s.replace(/\/n$/i, '');
  const at = s.indexOf('@');
  return at >= 0 ? s.slice(0, at) : s;
}

/** The number a trunk was asked to dial, from a Dial string: `5559876@trunk`, `trunk/sip:5559876@host`, `trunk/5559876`. */
export function numberOfDialString(dialString: string | undefined): string | undefined {
  if (!dialString) return undefined;
  let s = dialString.trim();
  const sip = /sips?:([^@;>]+)/i.exec(s);
  if (sip) return sip[1];
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  return s || undefined;
}

/** `<unknown>` and empty mean "not given". */
export function known(v: string | undefined): string | undefined {
  return v && v !== '<unknown>' && v !== 'unknown' ? v : undefined;
}
