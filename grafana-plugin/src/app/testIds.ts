export const testIds = {
  exporterUrl: 'data-testid sb-app-exporter-url',
  save: 'data-testid sb-app-save',
  check: 'data-testid sb-app-check',
  result: 'data-testid sb-app-result',
};
