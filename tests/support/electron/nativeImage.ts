/**
 * The double of `nativeImage` (docs/api/native-image.md), as far as the app uses it:
 * - `createFromDataURL` decodes only `image/png` and `image/jpeg` data URLs and gives an EMPTY
 *   image for anything else or anything that does not decode
 *   (shell/common/api/electron_api_native_image.cc NativeImage::CreateFromDataURL →
 *   CreateFromPNG / CreateFromJPEG, else CreateEmpty). The double decodes a PNG for real
 *   (signature, IHDR with a size above 0, the IDAT stream inflates with zlib, IEND); a JPEG only
 *   needs its SOI/EOI markers;
 * - `createEmpty()` is empty; `isEmpty()` and `getSize()` say so.
 */
import { inflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class NativeImageDouble {
  constructor(
    private readonly size: { width: number; height: number },
    readonly source: string,
  ) {}
  isEmpty(): boolean {
    return this.size.width === 0 || this.size.height === 0;
  }
  getSize(): { width: number; height: number } {
    return { ...this.size };
  }
}

const EMPTY = { width: 0, height: 0 };

/** The size of a PNG that decodes, or 0x0. */
export function decodePngSize(data: Buffer): { width: number; height: number } {
  if (data.length < 8 + 25 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return EMPTY;
  let offset = 8;
  let size = EMPTY;
  const idat: Buffer[] = [];
  let ended = false;
  while (offset + 12 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (body.length !== length) return EMPTY;
    if (type === 'IHDR') size = { width: body.readUInt32BE(0), height: body.readUInt32BE(4) };
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (!ended || idat.length === 0 || size.width === 0 || size.height === 0) return EMPTY;
  try {
    inflateSync(Buffer.concat(idat));
  } catch {
    return EMPTY;
  }
  return size;
}

function fromDataUrl(url: string): { width: number; height: number } {
  const match = /^data:(image\/png|image\/jpeg)(;[^,]*)?,(.*)$/s.exec(url);
  if (!match) return EMPTY;
  const base64 = (match[2] ?? '').includes(';base64');
  const bytes = base64
    ? Buffer.from(match[3] ?? '', 'base64')
    : Buffer.from(decodeURIComponent(match[3] ?? ''), 'latin1');
  if (match[1] === 'image/png') return decodePngSize(bytes);
  // JPEG: start and end of image markers; the size is not read (the app uses PNG).
  const jpeg =
    bytes.length > 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes.at(-2) === 0xff &&
    bytes.at(-1) === 0xd9;
  return jpeg ? { width: 1, height: 1 } : EMPTY;
}

export const nativeImageDouble = {
  createFromDataURL: (url: string) => new NativeImageDouble(fromDataUrl(String(url)), 'dataURL'),
  createEmpty: () => new NativeImageDouble(EMPTY, 'empty'),
};
