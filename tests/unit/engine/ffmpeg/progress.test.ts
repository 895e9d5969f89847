import { describe, expect, it } from 'vitest';
import {
  MAX_RUNNING_FRACTION,
  ProgressMotion,
  ProgressParser,
  blockFromFields,
  parseClock,
  progressFraction,
} from '../../../../engine/ffmpeg/progress';

const block = (outTimeUs: string, progress = 'continue') =>
  `frame=25\nfps=0.00\nstream_0_0_q=28.0\nbitrate=N/A\ntotal_size=1024\nout_time_us=${outTimeUs}\nout_time_ms=${outTimeUs}\nout_time=00:00:01.000000\ndup_frames=0\ndrop_frames=0\nspeed=2.5x\nprogress=${progress}\n`;

describe('ProgressParser', () => {
  it('parses whole blocks', () => {
    const [b] = new ProgressParser().push(block('1000000'));
    expect(b).toMatchObject({
      outTimeSeconds: 1,
      frame: 25,
      speed: 2.5,
      totalSizeBytes: 1024,
      end: false,
    });
  });

  it('reassembles blocks split at any byte', () => {
    const text = block('500000') + block('2000000', 'end');
    for (const size of [1, 3, 7, 50]) {
      const parser = new ProgressParser();
      const blocks = [];
      for (let i = 0; i < text.length; i += size)
        blocks.push(...parser.push(text.slice(i, i + size)));
      expect(blocks.map((b) => [b.outTimeSeconds, b.end])).toEqual([
        [0.5, false],
        [2, true],
      ]);
    }
  });

  it('accepts CRLF, N/A values, negative start times and junk lines', () => {
    const parser = new ProgressParser();
    const blocks = parser.push(
      'garbage\r\nout_time_us=N/A\r\nout_time=-00:00:00.040000\r\nspeed=N/A\r\nprogress=continue\r\n',
    );
    expect(blocks[0]).toMatchObject({ outTimeSeconds: 0, speed: null });
  });

  it('falls back to out_time when the microsecond fields are missing', () => {
    const [b] = new ProgressParser().push('out_time=00:01:02.500000\nprogress=continue\n');
    expect(b?.outTimeSeconds).toBe(62.5);
  });

  it('drops an over-long line instead of growing without bound', () => {
    const parser = new ProgressParser();
    expect(parser.push('x'.repeat(10_000))).toEqual([]);
    expect(parser.push('\nout_time_us=1\nprogress=end\n')[0]?.end).toBe(true);
  });
});

describe('parseClock / progressFraction', () => {
  it('parses clocks', () => {
    expect(parseClock('01:00:00.5')).toBe(3600.5);
    expect(parseClock('nope')).toBeNull();
  });

  it('turns output time into a fraction below 1 until the end block', () => {
    const parser = new ProgressParser();
    const [half, over, end] = parser.push(
      block('1000000') + block('5000000') + block('5000000', 'end'),
    );
    expect(progressFraction(half!, 2)).toBe(0.5);
    expect(progressFraction(over!, 2)).toBe(MAX_RUNNING_FRACTION);
    expect(progressFraction(end!, 2)).toBe(1);
    expect(progressFraction(half!, null)).toBeNull();
    expect(progressFraction(end!, null)).toBe(1);
  });
});

describe('ProgressMotion', () => {
  /** A block as ffmpeg 5.1 writes it, with the counters given and time-driven fields varied. */
  const fields = (counters: Record<string, string>, tick: number) =>
    blockFromFields({
      frame: '105',
      fps: (105 / tick).toFixed(2),
      stream_0_0_q: '28.0',
      bitrate: `${(1894.9 / tick).toFixed(1)}kbits/s`,
      total_size: '48',
      out_time_us: '10000098',
      out_time_ms: '10000098',
      out_time: '00:00:10.000098',
      dup_frames: '0',
      drop_frames: '0',
      speed: `${(10 / tick).toFixed(2)}x`,
      progress: 'continue',
      ...counters,
    });

  it('counts the first block as movement (ffmpeg got past its start)', () => {
    expect(new ProgressMotion().moved(fields({}, 1))).toBe(true);
  });

  it('does not take falling fps, bitrate and speed for movement: a blocked ffmpeg repeats its block', () => {
    // As ffmpeg with two inputs printed while one of them (a FIFO) delivered nothing more.
    const motion = new ProgressMotion();
    motion.moved(fields({}, 1));
    for (let tick = 2; tick < 8; tick++) expect(motion.moved(fields({}, tick))).toBe(false);
  });

  it.each([
    ['frames', { frame: '106' }],
    ['bytes written', { total_size: '236857' }],
    ['output time', { out_time_us: '10400098', out_time_ms: '10400098' }],
    ['output time as a clock only', { out_time: '00:00:10.400098' }],
    ['duplicated frames', { dup_frames: '1' }],
    ['dropped frames', { drop_frames: '3' }],
    ['a counter turning N/A', { total_size: 'N/A' }],
  ])('takes any one counter moving for movement: %s', (_what, counters) => {
    const motion = new ProgressMotion();
    motion.moved(fields({}, 1));
    expect(motion.moved(fields(counters, 2))).toBe(true);
    expect(motion.moved(fields(counters, 3))).toBe(false);
  });

  it('counts the last block as movement', () => {
    const motion = new ProgressMotion();
    motion.moved(fields({}, 1));
    expect(motion.moved(fields({ progress: 'end' }, 2))).toBe(true);
  });
});
