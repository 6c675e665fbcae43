import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { FrameReader } from '../../src/sources/ami/frames';
import type { AmiMessage } from '../../src/sources/ami/messages';
import { formatAction } from '../../src/sources/ami/transport';
import { captureBody } from './harness';

interface Read {
  frames: AmiMessage[];
  rejects: [string, string][];
  follows: boolean[];
  reader: FrameReader;
}

function reader(limits: { maxFrameBytes?: number; maxFollowsBytes?: number; awaits?: (id: string) => boolean } = {}): Read {
  const r: Read = { frames: [], rejects: [], follows: [], reader: undefined as never };
  r.reader = new FrameReader(
    { frame: (m) => r.frames.push(m), reject: (reason, detail) => r.rejects.push([reason, detail]), follows: (open) => r.follows.push(open) },
    limits,
  );
  return r;
}

function readAll(text: string, chunks: (s: string) => string[] = (s) => [s]): Read {
  const r = reader();
  for (const c of chunks(text)) r.reader.push(c);
  return r;
}

/** plain objects for comparison (the reader's frames have no prototype) */
const plain = (frames: AmiMessage[]): Record<string, string | undefined>[] => frames.map((f) => ({ ...f }));

describe('AMI frame reader', () => {
  it('reads a capture: header case restored, the greeting skipped, repeated keys kept', () => {
    const r = readAll(`Asterisk Call Manager/11.0.0\r\n${captureBody('inbound_answered')}`);
    expect(r.rejects).toEqual([]);
    expect(r.frames.length).toBeGreaterThan(50);
    const nc = r.frames.find((f) => f.Event === 'Newchannel')!;
    expect(nc).toMatchObject({ Channel: expect.stringMatching(/^PJSIP\//), Uniqueid: expect.any(String), Linkedid: expect.any(String), CallerIDNum: expect.any(String) });
    const two = readAll('Event: VarSet\r\nVariable: a=1\r\nVariable: b=2\r\n\r\n');
    expect(plain(two.frames)).toEqual([{ Event: 'VarSet', Variable: 'a=1\nb=2' }]);
  });

  it('gives the same frames whatever the split, at every byte boundary', () => {
    const text = captureBody('hold_unhold').slice(0, 3000);
    const whole = plain(readAll(text).frames);
    expect(whole.length).toBeGreaterThan(5);
    for (let i = 1; i < text.length; i++) {
      const split = readAll(text, (s) => [s.slice(0, i), s.slice(i)]);
      expect(split.rejects).toEqual([]);
      expect(plain(split.frames)).toEqual(whole);
    }
    // and one character at a time
    expect(plain(readAll(text, (s) => [...s]).frames)).toEqual(whole);
  });

  it('gives the same frames for any chunking (property)', () => {
    const text = captureBody('internal').slice(0, 20000);
    const whole = plain(readAll(text).frames);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 40 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), text.length];
        const chunks = at.slice(1).map((end, i) => text.slice(at[i], end));
        expect(plain(readAll(text, () => chunks).frames)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('accepts bare LF line ends', () => {
    expect(plain(readAll('Event: Hold\nChannel: PJSIP/1001-1\n\n').frames)).toEqual([{ Event: 'Hold', Channel: 'PJSIP/1001-1' }]);
  });

  it('keeps frame text out of property paths: __proto__, constructor, toString are plain headers', () => {
    const r = readAll('Event: __proto__\r\n__proto__: polluted\r\nconstructor: x\r\ntoString: y\r\nActionID: hasOwnProperty\r\n\r\n');
    expect(r.frames).toHaveLength(1);
    const f = r.frames[0];
    expect(Object.getPrototypeOf(f)).toBeNull();
    expect(Object.keys(f).sort()).toEqual(['ActionID', 'Event', '__proto__', 'constructor', 'tostring']);
    expect(f.__proto__).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts and skips frames without Event or Response, and frames with a line that is no header', () => {
    const r = readAll('Foo: bar\r\n\r\nnot a header\r\n\r\nEvent: Hold\r\nno colon here\r\n\r\nEvent: Unhold\r\n\r\n');
    expect(r.rejects.map(([reason]) => reason)).toEqual(['frame without Event or Response', 'frame without Event or Response', 'bad header line']);
    expect(plain(r.frames)).toEqual([{ Event: 'Unhold' }]);
  });

  it('counts an oversized frame once, skips it to its blank line and reads on', () => {
    const r = reader({ maxFrameBytes: 1000 });
    r.reader.push(`Event: Junk\r\n`);
    for (let i = 0; i < 50; i++) r.reader.push(`Data${i}: ${'x'.repeat(100)}\r\n`);
    r.reader.push('\r\nEvent: Hold\r\n\r\n');
    expect(r.rejects.map(([reason]) => reason)).toEqual(['oversized frame']);
    expect(plain(r.frames)).toEqual([{ Event: 'Hold' }]);
  });

  it('bounds a line that never ends: the held text never exceeds the limit', () => {
    const r = reader({ maxFrameBytes: 1000 });
    r.reader.push('Event: Junk\r\nData: ');
    for (let i = 0; i < 1000; i++) r.reader.push('y'.repeat(997));
    expect(r.rejects.map(([reason]) => reason)).toEqual(['oversized frame']);
    // the rest of that line is skipped, a blank line ends the frame, the next frame is read
    r.reader.push('yyy\r\n\r\nEvent: Hold\r\n\r\n');
    expect(plain(r.frames)).toEqual([{ Event: 'Hold' }]);
  });

  it('gives values that hold nothing of the chunk they were cut from: 40 kept Uniqueids do not keep 40 MiB of chunks', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const kept: string[] = [];
    const frames = new FrameReader({ frame: (m) => m.Uniqueid !== undefined && kept.push(m.Uniqueid), reject: () => undefined });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i++) {
      // one chunk of 1 MiB: a frame worth keeping, then filler frames nobody keeps
      const filler = `Event: VarSet\r\nVariable: ${'v'.repeat(1000)}\r\n\r\n`;
      frames.push(`Event: Newchannel\r\nUniqueid: 1795461973.${String(i).padStart(6, '0')}\r\n\r\n${filler.repeat(1040)}`);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(kept.filter((u) => u.startsWith('1795461973.'))).toHaveLength(40);
    // a value cut straight from its chunk (V8 shares the chunk's characters for 13 or more) grows the heap by ~40 MiB
    expect(grown).toBeLessThan(8 * 2 ** 20);
  });

  it('reads a legacy Response: Follows up to --END COMMAND--, blank lines inside included', () => {
    const r = readAll('Response: Follows\r\nPrivilege: Command\r\nActionID: sb-7\r\nline one\r\n\r\nline three\r\n--END COMMAND--\r\n\r\nEvent: Hold\r\n\r\n');
    expect(plain(r.frames)).toEqual([{ Response: 'Follows', ActionID: 'sb-7', Output: 'line one\n\nline three' }, { Event: 'Hold' }]);
    expect(r.follows).toEqual([true, false]);
  });

  it('gives up an unterminated Follows at its size limit and reads the frames after it', () => {
    const r = reader({ maxFollowsBytes: 2000 });
    r.reader.push('Response: Follows\r\nActionID: rawevent\r\n\r\n');
    const body = captureBody('internal');
    r.reader.push(body);
    expect(r.rejects.map(([reason]) => reason)).toEqual(['unterminated Follows']);
    expect(plain(r.frames)).toEqual(plain(readAll(body).frames));
  });

  it('gives up an unterminated Follows when told (the transport times it), losing none of the frames held', () => {
    const r = reader();
    r.reader.push('Response: Follows\r\nActionID: 1\r\n\r\nEvent: Hold\r\nChannel: a\r\n\r\nEvent: Unhold\r\n');
    expect(r.frames).toEqual([]);
    expect(r.reader.inFollows).toBe(true);
    r.reader.abandonFollows();
    expect(r.reader.inFollows).toBe(false);
    expect(plain(r.frames)).toEqual([{ Event: 'Hold', Channel: 'a' }]);
    r.reader.push('Channel: b\r\n\r\n');
    expect(plain(r.frames)).toEqual([{ Event: 'Hold', Channel: 'a' }, { Event: 'Unhold', Channel: 'b' }]);
    expect(r.rejects.map(([reason]) => reason)).toEqual(['unterminated Follows']);
    expect(r.follows).toEqual([true, false]);
  });

  it('skips a Follows that answers no action of ours at once: the frames after it are not held back', () => {
    const r = reader({ awaits: (id) => id === 'sb-7' });
    // a stray Follows (no ActionID, or one nobody waits for), the fuzzer's kind: each used to hold back every later
    // frame for 5 s, and a stream of them stalled a real call for minutes
    r.reader.push('Response: Follows\r\nEvent: VarSet\r\nTimestamp: 1795463650.97\r\n\r\nEvent: Hold\r\nChannel: a\r\n\r\n');
    r.reader.push('Response: Follows\r\nPrivilege: Command\r\nActionID: sb-9\r\nline\r\n\r\nEvent: Unhold\r\nChannel: a\r\n\r\n');
    r.reader.push('Response: Follows\r\n\r\nEvent: Hold\r\nChannel: b\r\n\r\n');
    expect(r.reader.inFollows).toBe(false);
    expect(plain(r.frames)).toEqual([
      { Event: 'Hold', Channel: 'a' },
      { Event: 'Unhold', Channel: 'a' },
      { Event: 'Hold', Channel: 'b' },
    ]);
    expect(r.rejects).toEqual([
      ['unsolicited Follows', 'no ActionID'],
      ['unsolicited Follows', 'ActionID sb-9 awaits no answer'],
      ['unsolicited Follows', 'no ActionID'],
    ]);
    // the answer to an action that waits is still read whole
    r.reader.push('Response: Follows\r\nPrivilege: Command\r\nActionID: sb-7\r\nline one\r\n\r\n--END COMMAND--\r\n\r\n');
    expect(plain(r.frames).at(-1)).toEqual({ Response: 'Follows', ActionID: 'sb-7', Output: 'line one\n' });
  });

  it('never throws on arbitrary text and always reads a valid frame after a blank line (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (junk) => {
        const r = reader({ maxFrameBytes: 300, maxFollowsBytes: 300 });
        r.reader.push(junk);
        r.reader.push('\r\n\r\nEvent: Hold\r\nChannel: after\r\n\r\n');
        while (r.reader.inFollows) r.reader.abandonFollows();
        expect(r.frames.at(-1)).toMatchObject({ Event: 'Hold', Channel: 'after' });
      }),
      { numRuns: 500 },
    );
  });
});

describe('AMI action text', () => {
  it('writes Key: Value lines and a blank line', () => {
    expect(formatAction({ Action: 'Ping', ActionID: 'sb-1' })).toBe('Action: Ping\r\nActionID: sb-1\r\n\r\n');
  });
  it('refuses a line break that would smuggle in a header', () => {
    expect(() => formatAction({ Action: 'Login', Secret: 'x\r\nAction: Originate' })).toThrow(/line break/);
  });
});
