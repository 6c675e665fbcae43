export const testIds = {
  exporterUrl: 'data-testid sb-app-exporter-url',
  apiUrl: 'data-testid sb-app-api-url',
  controlToken: 'data-testid sb-app-control-token',
  save: 'data-testid sb-app-save',
  check: 'data-testid sb-app-check',
  result: 'data-testid sb-app-result',
};
