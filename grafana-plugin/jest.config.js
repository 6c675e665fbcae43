// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// The swc transform of the scaffold, reused for the extra patterns below.
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  testMatch: [...base.testMatch, '<rootDir>/tests/**/*.test.{ts,tsx}'],
  transform: {
    ...base.transform,
    // d3-interpolate 3.0.2 and friends ship .mjs, which the scaffold's pattern does not match.
    '^.+\\.mjs$': swc,
  },
  // ESM-only dependencies of @grafana/data 13.2 that the scaffold's list misses.
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', 'libphonenumber-js'])],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
