import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { configReference, CONSTRAINTS } from '../../src/config/reference';
import { ConfigSchema } from '../../src/config/schema';
import { SOURCE_KINDS } from '../../src/sources/registry';

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

  it('the reference states every kind of constraint the schemas use', () => {
    // JSON Schema's validation keywords for values (types and choices show in the type column)
    const keywords = ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'format', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minProperties', 'maxProperties', 'dependentRequired', 'propertyNames'];
    const used = new Set<string>();
    const visit = (s: unknown): void => {
      if (Array.isArray(s)) return s.forEach(visit);
      if (s === null || typeof s !== 'object') return;
      for (const [k, v] of Object.entries(s as TSchema)) {
        if (keywords.includes(k)) used.add(k);
        visit(v);
      }
    };
    visit(ConfigSchema);
    SOURCE_KINDS.forEach((k) => visit(k.schema));
    expect(used.size).toBeGreaterThan(3);
    for (const k of used) expect([k, k in CONSTRAINTS]).toEqual([k, true]);
    const reference = configReference();
    expect(reference).toMatch(/^\| `auth\.tokens\[\]\.token` \| string \| — \| .*at least 16 characters \|$/m);
    expect(reference).toMatch(/^\| `server\.port` \| integer \| `10027` \| .*≥ 0, ≤ 65535 \|$/m);
    expect(reference).toMatch(/^\| `businessHours\.holidays` \| string\[\] \| `\[\]` \| .*each pattern `\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$` \|$/m);
  });
});
