import { PanelPlugin } from '@grafana/data';
import { WallPanel } from './components/WallPanel';
import { optionsBuilder } from './options';
import type { WallOptions } from './types';

export const plugin = new PanelPlugin<WallOptions>(WallPanel).setPanelOptions(optionsBuilder);
