import type { PgSession } from './pg-session';

export interface GroupMember {
  number: string;
  name?: string;
  /** logged in to this group (queues) and the extension enabled; ring groups have no login */
  available: boolean;
}

export interface CallGroupConfig {
  kind: 'queue' | 'ringgroup';
  number: string;
  name?: string;
  members: GroupMember[];
}

type Columns = Map<string, Set<string>>;

const TABLES = ['dn', 'queue', 'queue2dn', 'ringgroup', 'ringgroup2dn', 'extension', 'users'];

interface Row {
  grp: string;
  grp_name: string | null;
  member: string | null;
  member_name: string | null;
  available: boolean | null;
}

/**
 * Queue and ring-group membership from the 3CX configuration tables of the same PostgreSQL database
 * (`database_single`): `dn` (every number), `queue` / `ringgroup` (the groups), `queue2dn` / `ringgroup2dn`
 * (members), `extension` (`enabled`, `qstatus` = the global queue login, 1 = logged in) and `users` (names). v20 adds
 * `queue2dn.is_logged_in`, the per-queue login. Column sets differ between builds, so the query is built from what
 * `information_schema` shows; a missing optional column just means "not known" (treated as logged in).
 */
export class MembershipReader {
  private columns?: Columns;

  constructor(private readonly db: PgSession) {}

  async read(): Promise<CallGroupConfig[]> {
    const cols = (this.columns ??= await this.introspect());
    const has = (t: string, c: string): boolean => cols.get(t)?.has(c) ?? false;
    if (!has('dn', 'iddn') || !has('dn', 'value')) throw new Error('3CX configuration table "dn" is not readable');
    const groups = new Map<string, CallGroupConfig>();
    for (const kind of ['queue', 'ringgroup'] as const) {
      const link = kind === 'queue' ? 'queue2dn' : 'ringgroup2dn';
      const linkGroup = kind === 'queue' ? 'fkidqueue' : 'fkidringgroup';
      if (!has(kind, 'fkiddn')) continue;
      const name = has(kind, 'name') ? 'g.name' : 'NULL';
      const conditions: string[] = [];
      if (kind === 'queue' && has(link, 'is_logged_in')) conditions.push('m.is_logged_in IS NOT FALSE');
      if (kind === 'queue' && has('extension', 'qstatus')) conditions.push('(e.qstatus IS NULL OR e.qstatus = 1)');
      if (has('extension', 'enabled')) conditions.push('e.enabled IS NOT FALSE');
      const available = conditions.length ? conditions.join(' AND ') : 'TRUE';
      const joinExt = has('extension', 'fkiddn') ? 'LEFT JOIN extension e ON e.fkiddn = m.fkiddn' : '';
      const usable = has(link, linkGroup) && has(link, 'fkiddn');
      const hasNames = has('users', 'fkidextension') && has('users', 'firstname') && has('users', 'lastname');
      const memberName = hasNames ? "NULLIF(trim(concat_ws(' ', u.firstname, u.lastname)), '')" : 'NULL';
      const joinUsers = hasNames ? 'LEFT JOIN users u ON u.fkidextension = m.fkiddn' : '';
      const sql = usable
        ? `SELECT gd.value AS grp, ${name} AS grp_name, md.value AS member, ${memberName} AS member_name,
                  ${joinExt ? available : 'TRUE'} AS available
             FROM ${kind} g
             JOIN dn gd ON gd.iddn = g.fkiddn
             LEFT JOIN ${link} m ON m.${linkGroup} = g.fkiddn
             LEFT JOIN dn md ON md.iddn = m.fkiddn
             ${joinExt} ${joinUsers}
            ORDER BY gd.value, md.value`
        : `SELECT gd.value AS grp, ${name} AS grp_name, NULL AS member, NULL AS member_name, NULL AS available
             FROM ${kind} g JOIN dn gd ON gd.iddn = g.fkiddn ORDER BY gd.value`;
      for (const r of await this.db.query<Row>(sql)) {
        const key = `${kind}\u0000${r.grp}`;
        let g = groups.get(key);
        if (!g) {
          g = { kind, number: r.grp, members: [] };
          if (r.grp_name) g.name = r.grp_name;
          groups.set(key, g);
        }
        if (!r.member) continue;
        const m: GroupMember = {
          number: r.member,
          available: kind === 'ringgroup' ? r.available !== false : r.available === true,
        };
        if (r.member_name) m.name = r.member_name;
        g.members.push(m);
      }
    }
    return [...groups.values()];
  }

  private async introspect(): Promise<Columns> {
    const rows = await this.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = ANY (current_schemas(false)) AND table_name = ANY ($1)`,
      [TABLES],
    );
    const out: Columns = new Map();
    for (const r of rows) {
      let set = out.get(r.table_name);
      if (!set) out.set(r.table_name, (set = new Set()));
      set.add(r.column_name);
    }
    return out;
  }
}
