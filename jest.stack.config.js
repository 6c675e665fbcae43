/**
 * The stack's tests: promtool on the alert rules, a real Alertmanager for routing and inhibition, the dashboards
 * against the plugin and the provisioning, docker compose and the Dockerfile statically.
 * SB_STACK_E2E=1 selects the end-to-end test instead (a real Prometheus scraping the exporter; .ci/e2e-prometheus.sh).
 */
const e2e = process.env.SB_STACK_E2E === '1';

module.exports = {
  testEnvironment: 'node',
  roots: [e2e ? '<rootDir>/test/e2e' : '<rootDir>/test/stack'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // @grafana/data (the dashboards' transformations, the plugin's frame builders) requires ESM-only packages
  transformIgnorePatterns: ['/node_modules/(?!(marked|d3-[a-z-]+|internmap|@react-hookz|@ver0)/)'],
  testTimeout: e2e ? 300000 : 60000,
  maxWorkers: e2e ? 1 : 2,
};
