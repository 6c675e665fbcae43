/** Exporter tests: real SQLite files, real TCP and HTTP on loopback. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // the CLI tests spawn the compiled exporter: compile it first if the sources changed
  globalSetup: '<rootDir>/test/helpers/build-once.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
