import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../../engine/http/errors';
import {
  ByteCounter,
  fileCutShort,
  refusalUnlessWhole,
} from '../../../../engine/files/uploadIntegrity';

describe('ByteCounter', () => {
  it('passes every byte through unchanged and counts them', async () => {
    const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(3, 2), Buffer.alloc(65_536, 3)];
    const counter = new ByteCounter(64 * 1024);
    const out: Buffer[] = [];
    await pipeline(
      Readable.from(chunks),
      counter,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          out.push(chunk);
          done();
        },
      }),
    );
    expect(counter.bytes).toBe(135_539);
    expect(Buffer.concat(out).equals(Buffer.concat(chunks))).toBe(true);
  });
});

describe('refusalUnlessWhole', () => {
  it('takes an upload whose three counts agree', () => {
    expect(refusalUnlessWhole({ delivered: 1234, written: 1234, onDisk: 1234 })).toBeNull();
  });

  it.each([
    [
      'the write stream wrote fewer bytes than it was given',
      { delivered: 1000, written: 900, onDisk: 900 },
    ],
    [
      'the disk holds fewer bytes than were written',
      { delivered: 1000, written: 1000, onDisk: 512 },
    ],
    ['the disk holds more bytes than arrived', { delivered: 1000, written: 1000, onDisk: 4096 }],
  ])('refuses with 500 when %s, saying how many of each', (_case, tally) => {
    const refusal = refusalUnlessWhole(tally);
    expect(refusal).toBeInstanceOf(HttpError);
    expect(refusal?.status).toBe(500);
    expect(refusal?.detail).toBe(
      `The upload was not stored whole: ${tally.delivered} bytes of the file arrived, ` +
        `${tally.written} were written and ${tally.onDisk} are on disk. Nothing was kept; upload it again.`,
    );
  });
});

describe('fileCutShort', () => {
  it('is a 422 located at the file part, with the bytes that arrived', () => {
    const refusal = fileCutShort(307_200);
    expect(refusal.status).toBe(422);
    expect(refusal.detail).toEqual([
      {
        loc: ['file'],
        msg: 'the upload ended inside the file, after 307200 bytes of it, without the boundary that closes the part: the file is incomplete and was not kept',
        type: 'value_error',
      },
    ]);
  });
});
