/** The small office the demo PBX simulates: people, a ring group, two queues, a carrier trunk. */
export interface Person {
  ext: string;
  name: string;
}

export const PEOPLE: Person[] = [
  { ext: '1001', name: 'Alice Anders' },
  { ext: '1002', name: 'Bob Brown' },
  { ext: '1003', name: 'Carol Chen' },
  { ext: '1004', name: 'Dave Diaz' },
  { ext: '1005', name: 'Erin Evans' },
  { ext: '1006', name: 'Frank Fox' },
  { ext: '1007', name: 'Grace Green' },
  { ext: '1008', name: 'Hank Hill' },
];

export const RING_GROUP = { number: '600', did: '5551600', members: ['1001', '1002', '1003'] };

export interface QueueDef {
  name: string;
  number: string;
  did: string;
  strategy: string;
  members: string[];
  /** member → pause reason, at start */
  paused: Record<string, string>;
}

export const QUEUES: QueueDef[] = [
  { name: 'support', number: '700', did: '5551700', strategy: 'ringall', members: ['1003', '1004', '1005'], paused: { '1005': 'lunch' } },
  { name: 'sales', number: '701', did: '5551701', strategy: 'rrmemory', members: ['1006', '1007'], paused: {} },
];

export const TRUNK = {
  endpoint: 'trunk',
  serverUri: 'sip:sip.carrier.example',
  clientUri: 'sip:5551000@sip.carrier.example',
  companyNumber: '5551000',
};

/** Direct-dial numbers: 555100X rings extension 100X. */
export const didOf = (ext: string): string => `555${ext}`;

export const CALLERS: { number: string; name: string }[] = [
  { number: '+12125550101', name: 'NYC Customer' },
  { number: '+12125550102', name: 'Boston Lead' },
  { number: '+13125550103', name: 'Chicago Partner' },
  { number: '+13035550104', name: 'Denver Vendor' },
  { number: '+15125550105', name: 'Austin Client' },
  { number: '+12065550106', name: 'Seattle Support' },
  { number: '+14155550107', name: 'SF Startup' },
  { number: '+16025550108', name: 'Phoenix Caller' },
  { number: '+13055550109', name: 'Miami Reseller' },
  { number: '+16175550110', name: 'Cambridge Lab' },
];

export const OUTSIDE_NUMBERS = ['5559876', '5554321', '5551234', '2125550188', '3125550177', '4155550166'];
