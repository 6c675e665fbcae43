import { FieldConfigProperty, PanelPlugin } from '@grafana/data';
import { WallPanel } from './components/WallPanel';
import { wallMigrationHandler } from './migrations';
import { extensionStateMappings } from '../../shared/extensionStates';
import { optionsBuilder } from './options';
import type { WallOptions } from './types';

/**
 * State colours and words are Grafana value mappings on the `state` field: the panel's defaults hold today's
 * palette, a dashboard overrides them like any panel's (Overrides → Fields with name `state` → Value mappings, which
 * also beat the mappings a data source puts on its frames). Other standard options mean nothing to a wall.
 */
export const plugin = new PanelPlugin<WallOptions>(WallPanel)
  .useFieldConfig({
    disableStandardOptions: [
      FieldConfigProperty.Unit,
      FieldConfigProperty.Min,
      FieldConfigProperty.Max,
      FieldConfigProperty.FieldMinMax,
      FieldConfigProperty.Decimals,
      FieldConfigProperty.DisplayName,
      FieldConfigProperty.NoValue,
      FieldConfigProperty.Thresholds,
      FieldConfigProperty.Color,
      FieldConfigProperty.Links,
      FieldConfigProperty.Actions,
      FieldConfigProperty.Filterable,
    ],
    standardOptions: {
      [FieldConfigProperty.Mappings]: { defaultValue: extensionStateMappings() },
    },
  })
  .setPanelOptions(optionsBuilder)
  .setMigrationHandler(wallMigrationHandler);
