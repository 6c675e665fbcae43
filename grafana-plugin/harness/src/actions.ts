/**
 * What Grafana core does with a field's `actions` (public/app/features/actions/utils.ts and the table panel's
 * getCellActions), for the harness: core code, so no package ships it. Each action becomes an ActionModel for one
 * row: its title and confirmation interpolated with the row (`${__data.fields.x}`, `${__value.raw}`), and a click
 * that builds the request the same way (url made absolute on Grafana's origin, body interpolated as text, the
 * action's headers and query params, `X-Grafana-Action: 1`, which Grafana's server checks against
 * actions_allow_post_url) and sends it with BackendSrv, announcing "API call was successful" or an error.
 */
import {
  getFieldDataContextClone,
  type Action,
  type ActionModel,
  type ActionVariableInput,
  type DataFrame,
  type Field,
  type InterpolateFunction,
  type ScopedVars,
} from '@grafana/data';
import { getBackendSrv } from './runtime';

export type AlertLevel = 'success' | 'error';
export type Announce = (level: AlertLevel, text: string) => void;

/** `$name` of an action's own variables (asked for in a modal before the confirmation), then the rest. */
function withActionVars(replace: InterpolateFunction, action: Action, vars?: ActionVariableInput): InterpolateFunction {
  return (value, scoped, format) => {
    let out = value;
    if (action.variables?.length && vars) {
      out = out.replace(/\$(\w+)/g, (m, name: string) =>
        action.variables!.some((v) => v.key === name) && vars[name] != null ? vars[name] : m
      );
    }
    return replace(out, scoped, format);
  };
}

/** The request a fetch action sends. */
export function actionRequest(action: Action, replace: InterpolateFunction) {
  const options = action.fetch;
  if (!options) {
    throw new Error(`action "${action.title}" has no fetch options`);
  }
  const raw = replace(options.url);
  const url = new URL(raw.startsWith('/') ? window.location.origin + raw : raw);
  for (const [k, v] of options.queryParams ?? []) {
    url.searchParams.append(replace(k), replace(v));
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of options.headers ?? []) {
    headers[replace(k)] = replace(v);
  }
  headers['X-Grafana-Action'] = '1';
  return {
    url: url.toString(),
    method: options.method,
    data: options.method === 'GET' ? undefined : options.body ? replace(options.body) : '{}',
    headers,
  };
}

/** One row's actions of a field, de-duplicated by title as the table panel does. */
export function cellActions(
  frame: DataFrame,
  field: Field,
  rowIndex: number,
  replaceVariables: InterpolateFunction,
  announce: Announce
): ActionModel[] {
  const actions = field.config.actions ?? [];
  const seen = new Set<string>();
  return actions
    .map((action): ActionModel<Field> => {
      const dataContext = getFieldDataContextClone(frame, field, field.state?.scopedVars ?? {});
      dataContext.value.rowIndex = rowIndex;
      const scoped: ScopedVars = { ...(field.state?.scopedVars ?? {}), __dataContext: dataContext };
      const replace: InterpolateFunction = (value, vars, format) =>
        replaceVariables(value, { ...scoped, ...vars }, format);
      return {
        title: replaceVariables(action.title, scoped),
        confirmation: (vars) =>
          withActionVars(replace, action, vars)(action.confirmation || `Are you sure you want to ${action.title}?`),
        onClick: (_evt, _origin, vars) => {
          getBackendSrv()
            .fetch(actionRequest(action, withActionVars(replace, action, vars)))
            .subscribe({
              error: (err) => {
                announce('error', 'An error has occurred. Check console output for more details.');
                console.warn('action failed', err);
              },
              complete: () => announce('success', 'API call was successful'),
            });
        },
        oneClick: action.oneClick ?? false,
        style: { backgroundColor: action.style?.backgroundColor },
        variables: action.variables,
      };
    })
    .filter((a) => !seen.has(a.title) && seen.add(a.title));
}
