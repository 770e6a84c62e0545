// The checks an image passes in the browser before it is uploaded, as the server checks it again (the partner
// contract, `POST /uploads`): its type read from its bytes, not from its name; its size; its dimensions.
import { UPLOAD_LIMITS, type UploadType } from '@opslot/core';

/** The server's upload limits, and a floor of the browser's own. */
export const IMAGE_LIMITS = {
  ...UPLOAD_LIMITS,
  /** Smaller than this cannot look sharp even in a 48 px logo on a 2x screen (and beyond a misclick). */
  minSide: 64,
} as const;

export const IMAGE_PROBLEMS = {
  unsupportedType: 'unsupported-type',
  tooLarge: 'too-large',
  tooSmall: 'too-small',
  tooBig: 'too-big',
  unreadable: 'unreadable',
} as const;
export type ImageProblem = (typeof IMAGE_PROBLEMS)[keyof typeof IMAGE_PROBLEMS];

export type ImageCheck =
  | { ok: true; type: UploadType; width: number; height: number; bitmap: ImageBitmap }
  | { ok: false; problem: ImageProblem };

/** The image type that `bytes` start with (PNG, JPEG, WebP), or undefined. */
export function sniffImageType(bytes: Uint8Array): UploadType | undefined {
  const starts = (signature: number[], at = 0) => signature.every((byte, index) => bytes[at + index] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

/**
 * The width and height an image's header declares, read from its bytes without decoding it, or undefined when the
 * header is not there. PNG: the IHDR chunk; JPEG: the first start-of-frame marker; WebP: its VP8, VP8L or VP8X
 * header.
 */
export function declaredSize(bytes: Uint8Array, type: UploadType): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fits = (end: number) => end <= bytes.length;
  if (type === 'image/png') {
    // Signature (8), IHDR length (4) and type (4), then width and height, big-endian.
    if (!fits(24) || view.getUint32(12) !== 0x49484452) return undefined;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (type === 'image/jpeg') {
    let at = 2;
    while (fits(at + 4)) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1] as number;
      // Fill bytes before a marker.
      if (marker === 0xff) {
        at += 1;
        continue;
      }
      const length = view.getUint16(at + 2);
      // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC): precision (1), height (2), width (2).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (!fits(at + 9)) return undefined;
        return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
      }
      // Start of scan or end of image before any frame: no size to read.
      if (marker === 0xda || marker === 0xd9) return undefined;
      at += 2 + length;
    }
    return undefined;
  }
  // WebP: RIFF header (12), then the first chunk's FourCC at 12 and its data from 20.
  if (!fits(30)) return undefined;
  const chunk = String.fromCharCode(...bytes.slice(12, 16));
  if (chunk === 'VP8 ') {
    // A key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height, little-endian.
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return undefined;
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Signature 2f, then width − 1 and height − 1 in 14 bits each.
    if (bytes[20] !== 0x2f) return undefined;
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    // Flags (4), then canvas width − 1 and height − 1 in 24 bits each, little-endian.
    const u24 = (at: number) =>
      (bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16);
    return { width: u24(24) + 1, height: u24(27) + 1 };
  }
  return undefined;
}

/** Why sides of `width` × `height` are refused, or undefined. */
function sideProblem(width: number, height: number): ImageProblem | undefined {
  if (Math.min(width, height) < IMAGE_LIMITS.minSide) return IMAGE_PROBLEMS.tooSmall;
  if (Math.max(width, height) > IMAGE_LIMITS.maxSide) return IMAGE_PROBLEMS.tooBig;
  return undefined;
}

/**
 * Checks an image file before it is sent: type by its first bytes, at most 1 MiB, sides of 64 to 4096 pixels, read
 * from its header before anything is decoded (a small file can declare a picture of gigabytes) and again once
 * decoded. Never rejects. The bitmap it decodes is the studio's to draw (and to close).
 */
export async function checkImage(file: Blob): Promise<ImageCheck> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const type = sniffImageType(head);
  if (!type) return { ok: false, problem: IMAGE_PROBLEMS.unsupportedType };
  if (file.size > IMAGE_LIMITS.maxBytes) return { ok: false, problem: IMAGE_PROBLEMS.tooLarge };
  // At most 1 MiB: a JPEG's frame header may follow its metadata anywhere in the file.
  const declared = declaredSize(new Uint8Array(await file.arrayBuffer()), type);
  if (!declared) return { ok: false, problem: IMAGE_PROBLEMS.unreadable };
  const declaredProblem = sideProblem(declared.width, declared.height);
  if (declaredProblem) return { ok: false, problem: declaredProblem };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, problem: IMAGE_PROBLEMS.unreadable };
  }
  const { width, height } = bitmap;
  const problem = sideProblem(width, height);
  if (problem) {
    bitmap.close();
    return { ok: false, problem };
  }
  return { ok: true, type, width, height, bitmap };
}
