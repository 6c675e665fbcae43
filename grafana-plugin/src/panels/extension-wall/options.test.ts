import type { PanelOptionsEditorBuilder } from '@grafana/data';
import { plugin } from './module';
import { defaultOptions, optionsBuilder } from './options';
import type { WallOptions } from './types';

describe('panel options', () => {
  // A recording builder: the real one needs Grafana's editor registry, which only exists inside Grafana.
  type Item = { path: string; defaultValue: unknown; showIf?: (o: WallOptions, d: unknown) => boolean; kind: string };
  const items: Item[] = [];
  const builder: unknown = new Proxy(
    {},
    {
      get: (_target, kind) => (config: Omit<Item, 'kind'>) => {
        items.push({ ...config, kind: String(kind) });
        return builder;
      },
    }
  );
  optionsBuilder(builder as PanelOptionsEditorBuilder<WallOptions>);
  const item = (path: string) => items.find((i) => i.path === path)!;

  it('offers every option of WallOptions with its default', () => {
    expect(items.map((i) => i.path).sort()).toEqual(Object.keys(defaultOptions).sort());
    for (const i of items) {
      expect(i.defaultValue).toEqual(defaultOptions[i.path as keyof WallOptions]);
    }
  });

  it('shows dependent options only when they apply', () => {
    const o = (patch: Partial<WallOptions>) => ({ ...defaultOptions, ...patch });
    expect(item('columns').showIf!(o({ layout: 'auto' }), undefined)).toBe(false);
    expect(item('columns').showIf!(o({ layout: 'columns' }), undefined)).toBe(true);
    expect(item('prefixLength').showIf!(o({ groupBy: 'prefix' }), undefined)).toBe(true);
    expect(item('prefixLength').showIf!(o({ groupBy: 'queue' }), undefined)).toBe(false);
    expect(item('sortBy').showIf!(o({ mode: 'callboard' }), undefined)).toBe(false);
    expect(item('longCallSeconds').showIf).toBeUndefined();
  });

  it('is a panel plugin with the wall as its component', () => {
    expect(plugin.panel).toBeDefined();
  });
});
