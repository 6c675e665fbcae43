import type { PanelModel } from '@grafana/data';
import { plugin } from './module';
import { migrateOptions, wallMigrationHandler } from './migrations';
import { defaultOptions } from './options';
import type { WallOptions } from './types';

const panel = (options: Record<string, unknown>, pluginVersion?: string) =>
  ({ id: 1, options, fieldConfig: { defaults: {}, overrides: [] }, pluginVersion }) as unknown as PanelModel<
    Partial<WallOptions>
  >;

describe('option migrations', () => {
  it('is the plugin migration handler', () => {
    expect(plugin.onPanelMigration).toBe(wallMigrationHandler);
  });

  it('0.1.x: a medium card (scale 1 then) becomes the new smallest size, the same size on screen', () => {
    expect(wallMigrationHandler(panel({ cardSize: 'medium' }, '0.1.0')).cardSize).toBe('small');
    expect(wallMigrationHandler(panel({ cardSize: 'medium' })).cardSize).toBe('small');
    expect(wallMigrationHandler(panel({ cardSize: 'large' }, '0.1.3')).cardSize).toBe('large');
    expect(wallMigrationHandler(panel({ cardSize: 'medium' }, '0.2.0')).cardSize).toBe('medium');
  });

  it('the wall dashboard of 0.1.0 migrates to valid options, unchanged but the size', () => {
    const saved = { ...defaultOptions, cardSize: 'fit' } as Record<string, unknown>;
    delete saved.minFontSize;
    expect(migrateOptions(saved as Partial<WallOptions>, '0.1.0')).toEqual(saved);
  });

  it('values this version does not know fall back to the defaults; lists and numbers are repaired', () => {
    const out = migrateOptions(
      {
        sortBy: 'status' as never,
        mode: 'grid' as never,
        show: 'name, queues,bogus' as never,
        states: 'idle,ringing' as never,
        columns: 99,
        prefixLength: '3' as never,
        minFontSize: 4,
      },
      '0.2.0'
    );
    expect(out).toEqual({
      sortBy: defaultOptions.sortBy,
      mode: defaultOptions.mode,
      show: ['name', 'queues'],
      states: ['idle', 'ringing'],
      columns: 24,
      prefixLength: 3,
      minFontSize: 12,
    });
  });
});
