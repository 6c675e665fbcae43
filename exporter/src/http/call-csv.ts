import { Type } from '@sinclair/typebox';
import type { CallGroup } from '../domain';
import type { NumberMatch } from '../contacts';
import { RAW_CALL_COLUMNS, type RawCall, type RawCallColumn } from '../store/queries';
import { columnsOf, csvCell, rowWriter, type Column } from './csv';
import { iso } from './params';
import { party, type ContactLookup } from './render';

/**
 * The call history as CSV rows, rendered straight from the store's raw rows. The JSON path builds a row record, a
 * Call, its API form, then the cells: some 11 KB of short-lived objects a call (3.5 KB this way), and a million calls
 * keep V8's young generation collecting and promoting. These cells say what `storedCall` and `withContacts` say,
 * cell for cell (a test compares the two over the same store); a column added to the Call model without a cell here
 * fails at start, not in a user's download.
 */

export const CALL_COLUMNS = columnsOf(Type.Ref('Call'));

/** The row being rendered, and what is worked out of it once for several cells. */
interface View {
  row: RawCall;
  group: CallGroup | null;
  fromContact: NumberMatch | null;
  toContact: NumberMatch | null;
}

type Cell = (v: View) => string;

const AT = Object.fromEntries(RAW_CALL_COLUMNS.map((c, i) => [c, i])) as Record<RawCallColumn, number>;

const text =
  (c: RawCallColumn): Cell =>
  (v) =>
    csvCell(v.row[AT[c]]);
const time =
  (c: RawCallColumn): Cell =>
  (v) =>
    csvCell(iso(v.row[AT[c]] as number | null));
const secs =
  (c: RawCallColumn): Cell =>
  (v) => {
    const ms = v.row[AT[c]] as number | null;
    return ms === null ? '' : csvCell(ms / 1000);
  };
const flag =
  (c: RawCallColumn): Cell =>
  (v) =>
    v.row[AT[c]] === 1 ? 'true' : 'false';
/** a party's name: none and empty both read as no name, as `rowToCall` has it */
const name =
  (c: RawCallColumn): Cell =>
  (v) =>
    csvCell(v.row[AT[c]] || null);

const CELLS: Record<string, Cell> = {
  id: text('id'),
  pbx: text('pbx'),
  direction: text('direction'),
  status: text('status'),
  open: flag('open'),
  startedAt: time('started_at'),
  answeredAt: time('answered_at'),
  endedAt: time('ended_at'),
  ringSeconds: secs('ring_ms'),
  talkSeconds: secs('talk_ms'),
  holdSeconds: secs('hold_ms'),
  waitSeconds: secs('wait_ms'),
  'from.number': (v) => csvCell(v.row[AT.from_number] ?? ''),
  'from.name': name('from_name'),
  'to.number': (v) => csvCell(v.row[AT.to_number] ?? ''),
  'to.name': name('to_name'),
  'answeredBy.number': text('answered_by'),
  'answeredBy.name': (v) => (v.row[AT.answered_by] === null ? '' : csvCell(v.row[AT.answered_by_name] || null)),
  queue: (v) => csvCell(v.row[AT.queue] ?? (v.group?.type === 'queue' ? v.group.id : null)),
  'group.type': (v) => csvCell(v.group?.type),
  'group.id': (v) => csvCell(v.group?.id),
  'group.membersRung': (v) => (v.group ? csvCell(v.group.membersRung.map(party)) : ''),
  trulyMissed: flag('truly_missed'),
  returnedAt: time('returned_at'),
};

/** `fromContact.place` and the like: a field of the match, if the number has one. */
function contactCell(header: string): Cell | undefined {
  const [side, field] = header.split('.');
  if (side === 'fromContact') return (v) => csvCell(v.fromContact?.[field as keyof NumberMatch]);
  if (side === 'toContact') return (v) => csvCell(v.toContact?.[field as keyof NumberMatch]);
  return undefined;
}

function cellOf(c: Column): Cell {
  const cell = CELLS[c.header] ?? contactCell(c.header);
  if (!cell) throw new Error(`CSV of calls: no cell for the Call model's column ${c.header}`);
  return cell;
}

const CALL_CELLS = CALL_COLUMNS.map(cellOf);

/** The calls' CSV rows (CRLF included), header not included; `lookup` names the parties as the JSON does. */
export function* callCsvRows(rows: Iterable<RawCall>, lookup: ContactLookup | undefined): Generator<string> {
  // one view for the whole export: rendering a row allocates its cells and little else
  const v: View = { row: [], group: null, fromContact: null, toContact: null };
  const render = rowWriter(CALL_CELLS);
  for (const row of rows) {
    v.row = row;
    const group = row[AT.group_json] as string | null;
    v.group = group === null ? null : (JSON.parse(group) as CallGroup);
    if (lookup) {
      v.fromContact = lookup((row[AT.from_number] as string | null) ?? '', true);
      v.toContact = lookup((row[AT.to_number] as string | null) ?? '', true);
    }
    yield render(v);
  }
}
