import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/**
 * Enough of Grafana's TemplateSrv for our fields: `$name` and `${name}`, scoped vars first, multi values
 * formatted `csv` (a,b) or, by default, `{a,b}` like Grafana's glob format.
 */
export class FakeTemplateSrv {
  constructor(public vars: Record<string, string | string[]> = {}) {}

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (match, braced, plain) => {
      const name = braced ?? plain;
      const scoped = scopedVars?.[name]?.value;
      const value = scoped !== undefined ? scoped : this.vars[name];
      if (value === undefined) {
        return match;
      }
      if (Array.isArray(value)) {
        if (typeof format === 'function') {
          return format(value);
        }
        return format === 'csv' ? value.join(',') : `{${value.join(',')}}`;
      }
      return String(value);
    });
  }

  asTemplateSrv(): TemplateSrv {
    return {
      replace: this.replace.bind(this),
      getVariables: () => [] as TypedVariableModel[],
      containsTemplate: (t?: string) => Boolean(t && /\$/.test(t)),
      updateTimeRange: () => undefined,
    } as unknown as TemplateSrv;
  }
}
