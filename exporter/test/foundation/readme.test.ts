import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReference } from '../../src/config/reference';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

  it('starts with the two commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npm start\b/m);
    expect(firstBlock).toMatch(/^npm ci && npm test\b/m);
  });

  it('carries the configuration reference generated from the schema', () => {
    const section = /<!-- config-reference:start -->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(readme)?.[1];
    // regenerate with: npx tsx exporter/src/config/reference.ts
    expect(section).toBe(configReference());
  });
});
