/**
 * What Grafana gives a plugin, for the harness: the shared modules a built `module.js` (AMD) names as its
 * dependencies, a loader that runs it the way Grafana's SystemJS does, and the standard field config registry
 * entries the wall uses (Grafana registers them at boot, outside @grafana/data).
 */
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import {
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  valueMappingsOverrideProcessor,
  type FieldConfigPropertyItem,
  type StandardEditorsRegistryItem,
} from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as grafanaRuntime from './runtime';

const SHARED: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
  rxjs,
};

/** Fetches a plugin's module.js and runs its `define(deps, factory)` with Grafana's shared modules. */
export async function loadPluginModule<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`${url}: ${res.status}`);
  }
  const source = await res.text();
  let exports: T | undefined;
  const define = (deps: string[], factory: (...mods: unknown[]) => T) => {
    const mods = deps.map((dep) => {
      if (dep === 'module') {
        // the bundle takes its public path (chunks, images) from its own URL, as under SystemJS
        return { uri: new URL(url, window.location.href).href, id: url };
      }
      if (!(dep in SHARED)) {
        throw new Error(`${url} needs ${dep}, which Grafana does not share with plugins here`);
      }
      return SHARED[dep];
    });
    exports = factory(...mods);
  };
  // eslint-disable-next-line no-new-func
  new Function('define', `${source}\n//# sourceURL=${url}`)(define);
  if (!exports) {
    throw new Error(`${url} did not define a module`);
  }
  return exports;
}

/** The standard "Value mappings" field option, as Grafana core registers it. */
const mappings: FieldConfigPropertyItem = {
  id: 'mappings',
  path: 'mappings',
  name: 'Value mappings',
  category: ['Value mappings'],
  editor: () => null,
  override: () => null,
  process: valueMappingsOverrideProcessor,
  shouldApply: () => true,
  defaultValue: [],
};

standardFieldConfigEditorRegistry.setInit(() => [mappings]);

/** The option editors' ids: the options builder looks them up; the harness draws no editor. */
const EDITORS = ['boolean', 'multi-select', 'number', 'radio', 'select', 'slider', 'strings', 'text', 'color', 'unit'];
standardEditorsRegistry.setInit(() =>
  EDITORS.map((id): StandardEditorsRegistryItem => ({ id, name: id, editor: () => null }))
);
