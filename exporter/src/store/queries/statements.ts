import type { Database, Statement } from 'better-sqlite3';

/**
 * Filters combine into a handful of distinct SQL texts; preparing each once keeps the planner out of the hot path.
 * Bounded so odd combinations cannot grow it forever.
 */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();
  constructor(
    private readonly db: Database,
    private readonly max = 256,
  ) {}

  get(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}
