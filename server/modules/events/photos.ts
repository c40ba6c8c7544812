import sharp from 'sharp';
/**
 * Photos attached to events (E10): JPEG, PNG or WebP only, at most 5 MB, and stripped of EXIF,
 * XMP and text metadata (GPS position, camera, owner) before they are stored, so nobody who sees
 * a photo learns where a resident's phone was. Pure byte work, no image library.
 */
import { AppError } from '../../core/errors.ts';

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export function sniffImage(b: Buffer): PhotoMime | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** JPEG: drop APP1 (EXIF, XMP), APP13 (IPTC) and COM segments; keep everything from SOS on. */
function stripJpeg(b: Buffer): Buffer {
  const parts: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new Error('corrupt JPEG');
    const marker = b[i + 1];
    if (marker === 0xda) {
      parts.push(b.subarray(i));
      return Buffer.concat(parts);
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      parts.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    const end = i + 2 + len;
    if (end > b.length) throw new Error('corrupt JPEG');
    if (!(marker === 0xe1 || marker === 0xed || marker === 0xfe)) parts.push(b.subarray(i, end));
    i = end;
  }
  throw new Error('corrupt JPEG');
}

/** PNG: drop eXIf, tEXt, zTXt, iTXt and tIME chunks. */
function stripPng(b: Buffer): Buffer {
  const drop = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);
  const parts: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + len;
    if (end > b.length) throw new Error('corrupt PNG');
    if (!drop.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(parts);
  }
  throw new Error('corrupt PNG');
}

/** WebP: drop EXIF and XMP chunks and clear their flags in VP8X. */
function stripWebp(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = b.toString('latin1', i, i + 4);
    const len = b.readUInt32LE(i + 4);
    const end = i + 8 + len + (len % 2);
    if (i + 8 + len > b.length) throw new Error('corrupt WebP');
    if (type === 'VP8X') {
      const chunk = Buffer.from(b.subarray(i, Math.min(end, b.length)));
      chunk[8] &= ~0x0c; // EXIF (0x08) and XMP (0x04) flags
      parts.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ') parts.push(b.subarray(i, Math.min(end, b.length)));
    i = end;
  }
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/** Checks type and size and returns the image without its metadata; null when it is not an accepted image. */
export function cleanPhoto(b: Buffer): { mime: PhotoMime; bytes: Buffer } | null {
  if (b.length === 0 || b.length > MAX_PHOTO_BYTES) return null;
  const mime = sniffImage(b);
  if (!mime) return null;
  try {
    const bytes = mime === 'image/jpeg' ? stripJpeg(b) : mime === 'image/png' ? stripPng(b) : stripWebp(b);
    return { mime, bytes };
  } catch {
    return null;
  }
}

export const THUMB_PX = 320;

/**
 * A JPEG of at most THUMB_PX on its longer side, turned upright, without any metadata (sharp
 * writes none unless asked); null when the image cannot be decoded (it is then shown whole).
 */
export async function thumbnail(bytes: Buffer): Promise<Buffer | null> {
  try {
    return await sharp(bytes, { limitInputPixels: 50_000_000 })
      .rotate()
      .resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75, mozjpeg: true })
      .toBuffer();
  } catch {
    return null;
  }
}

/** Decodes base64 (or data: URL) photos from a request, cleaned, each with its thumbnail; refuses anything else. */
export async function decodePhotos(photos: string[] | undefined) {
  if ((photos?.length ?? 0) > 6) throw new AppError('PHOTO_INVALID', { reason: 'at_most_6_photos' });
  const cleaned = (photos ?? []).map((p, i) => {
    const data = p.startsWith('data:') && p.includes(',') ? p.slice(p.indexOf(',') + 1) : p;
    const raw = Buffer.from(data, 'base64');
    const c = cleanPhoto(raw);
    if (!c) throw new AppError('PHOTO_INVALID', { index: i });
    return { ...c, raw };
  });
  // The thumbnail is made from the photo as sent, so a phone's orientation tag turns it upright;
  // it carries no metadata either way.
  return Promise.all(cleaned.map(async ({ raw, ...c }) => ({ ...c, thumb: await thumbnail(raw) })));
}
