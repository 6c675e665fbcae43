import { extension } from '../../test-utils/fixtures';
import { filterExtensions } from './filters';

describe('live filters', () => {
  it("extensions: the text finds a counterpart by its number, the PBX's name or the name from the contacts", () => {
    const items = [
      extension({ extension: '1001', counterpart: { number: '+4930123456789', name: 'MUELLER H' } }),
      extension({
        extension: '1002',
        counterpart: { number: '+442079460958', name: null },
        counterpartContact: {
          match: 'exact',
          name: 'John Smith',
          company: 'Acme Ltd',
          e164: '+442079460958',
          country: 'GB',
          place: 'United Kingdom',
          town: 'London',
          type: 'FIXED_LINE',
          formatted: '+44 20 7946 0958',
        },
      }),
      extension({ extension: '1003' }),
    ];
    const found = (text: string) => filterExtensions(items, { refId: 'A', text }).map((e) => e.extension);
    expect(found('smith')).toEqual(['1002']);
    expect(found('mueller')).toEqual(['1001']);
    expect(found('7946')).toEqual(['1002']);
    expect(found('')).toEqual(['1001', '1002', '1003']);
  });
});
