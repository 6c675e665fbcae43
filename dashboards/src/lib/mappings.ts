import { MappingType, type ValueMapping } from '@grafana/schema';
import { EXTENSION_STATES } from '../../../exporter/src/domain/state';
import { EXTENSION_STATE_MAPPINGS } from '../../../grafana-plugin/src/datasource/frames/mappings';

/** 1/0 gauges (pbx_up, pbx_trunk_registered, up) as words and colours. */
export function upDown(up: string, down: string): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: { '1': { text: up, color: 'green', index: 0 }, '0': { text: down, color: 'red', index: 1 } },
    },
  ];
}

/**
 * Extension states in the order the exporter defines them (and so labels pbx_extension_state), numbered from 1, so one
 * PromQL series can carry the current state as a number (see extensionStateExpr) for the state-timeline panel.
 */
export { EXTENSION_STATES };

type StateMapping = { options: Record<string, { text: string; color: string }> };

/** The state numbers with the data source's own state texts and colours, so the timeline matches the wall. */
export function extensionStateNumberMappings(): ValueMapping[] {
  const byState = (EXTENSION_STATE_MAPPINGS[0] as unknown as StateMapping).options;
  const options: Record<string, { text: string; color: string; index: number }> = {};
  EXTENSION_STATES.forEach((state, i) => {
    const m = byState[state];
    options[String(i + 1)] = { text: m?.text ?? state, color: m?.color ?? 'text', index: i };
  });
  return [{ type: MappingType.ValueToText, options }];
}

/** Σ (state number × pbx_extension_state{state}): exactly one state is 1 per extension, so the sum is its number. */
export function extensionStateExpr(selector: string): string {
  return EXTENSION_STATES.map((state, i) => `(pbx_extension_state{${selector}, state="${state}"} * ${i + 1})`).join(
    '\n  + ignoring (state) ',
  );
}
