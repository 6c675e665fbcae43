/**
 * The field config properties a table panel's fieldConfig uses, as Grafana registers them (standard options at
 * boot, the table's own under `custom.`), for applyFieldOverrides: it applies only registered properties, so a
 * missing one would silently drop, say, the `actions` of a column.
 */
import {
  dataLinksOverrideProcessor,
  FieldConfigOptionsRegistry,
  identityOverrideProcessor,
  valueMappingsOverrideProcessor,
  type FieldConfigPropertyItem,
} from '@grafana/data';

const item = (
  id: string,
  process: FieldConfigPropertyItem['process'] = identityOverrideProcessor
): FieldConfigPropertyItem => {
  const isCustom = id.startsWith('custom.');
  return {
    id,
    path: isCustom ? id.slice('custom.'.length) : id,
    name: id,
    isCustom,
    editor: () => null,
    override: () => null,
    process,
    shouldApply: () => true,
  };
};

const STANDARD = ['displayName', 'unit', 'decimals', 'min', 'max', 'noValue', 'color', 'thresholds', 'actions'];
const TABLE_CUSTOM = ['align', 'cellOptions', 'inspect', 'filterable', 'hideFrom.viz', 'width', 'minWidth'];

export function tableFieldConfigRegistry(): FieldConfigOptionsRegistry {
  const registry = new FieldConfigOptionsRegistry();
  registry.setInit(() => [
    ...STANDARD.map((id) => item(id)),
    item('mappings', valueMappingsOverrideProcessor),
    item('links', dataLinksOverrideProcessor),
    ...TABLE_CUSTOM.map((id) => item(`custom.${id}`)),
  ]);
  return registry;
}
