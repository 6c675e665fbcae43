/**
 * A time zone's UTC offset at an instant, from the runtime's own IANA data (Intl): the one place the exporter turns
 * wall-clock time into instants, for 3CX's zone-less CDR times and for the API's local-calendar buckets alike.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's formatter (cached: building one costs far more than using it); throws a RangeError for no zone. */
export function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `t`, in ms (Berlin in summer: +7,200,000). */
export function offsetAt(zone: string, t: number): number {
  const parts = zoneFormatter(zone).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (t - (((t % 1000) + 1000) % 1000));
}
