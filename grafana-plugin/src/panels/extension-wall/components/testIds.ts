/** Shared by jest and the browser harness. */
export const testIds = {
  panel: 'data-testid sb-wall',
  card: 'data-testid sb-card',
  group: 'data-testid sb-group',
  summary: 'data-testid sb-summary',
  callboard: 'data-testid sb-callboard',
  callRow: 'data-testid sb-call',
  empty: 'data-testid sb-empty',
  more: 'data-testid sb-more',
  banner: 'data-testid sb-banner',
  parked: 'data-testid sb-parked',
};
