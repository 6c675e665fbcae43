import { Type } from '@sinclair/typebox';
import type { LiveState } from '../live';
import { ERRORS, type Api } from './context';
import { columnsOf, FormatParam, sendCsv, wantsCsv } from './csv';
import { Name } from './params';
import { Closed, Items } from './typebox';

const LiveQuery = Type.Object({ pbx: Type.Optional(Name('source name')), format: Type.Optional(FormatParam) }, Closed);

/** A GET route listing one kind of live-state item: optionally one PBX's, in a fixed order, rendered for the API. */
export interface LiveList<T extends { pbx: string }> {
  path: string;
  summary: string;
  /** OpenAPI tag; `live` by default */
  tag?: string;
  /** $id of the response model of one item */
  model: string;
  items: (live: LiveState) => Iterable<T>;
  /** the item's name within its PBX; items are listed by PBX, then by this name */
  name?: (item: T) => string;
  /** an order of its own, instead of by name */
  order?: (a: T, b: T) => number;
  render: (item: T, now: number) => unknown;
}

/** By PBX, then by name the way people read extension numbers: 2 before 10. */
const byName =
  <T extends { pbx: string }>(name: (t: T) => string) =>
  (a: T, b: T): number =>
    `${a.pbx}\u0000${name(a)}`.localeCompare(`${b.pbx}\u0000${name(b)}`, 'en', { numeric: true });

export function liveList<T extends { pbx: string }>(
  api: Api,
  ctx: { live: LiveState; now: () => number },
  list: LiveList<T>,
): void {
  const order = list.order ?? byName(list.name ?? (() => ''));
  const columns = columnsOf(Type.Ref(list.model));
  const file = list.path.replace(/^\//, '').replace(/\//g, '-');
  api.get(
    list.path,
    {
      schema: {
        summary: list.summary,
        tags: [list.tag ?? 'live'],
        querystring: LiveQuery,
        response: { 200: Items(Type.Ref(list.model)), ...ERRORS },
      },
    },
    async (req, reply) => {
      const { pbx } = req.query;
      const now = ctx.now();
      const items = [...list.items(ctx.live)]
        .filter((t) => pbx === undefined || t.pbx === pbx)
        .sort(order)
        .map((t) => list.render(t, now));
      return wantsCsv(req) ? sendCsv(reply, file, columns, items, now) : { items };
    },
  );
}
