/** Shared by jest and the browser harness. */
export const testIds = {
  config: {
    url: 'data-testid sb-config-url',
    token: 'data-testid sb-config-token',
    poll: 'data-testid sb-config-poll',
  },
  query: {
    type: 'data-testid sb-query-type',
    live: 'data-testid sb-query-live',
    history: 'data-testid sb-query-history',
    callBack: 'data-testid sb-query-call-back',
  },
  variable: {
    kind: 'data-testid sb-variable-kind',
    pbx: 'data-testid sb-variable-pbx',
  },
};
