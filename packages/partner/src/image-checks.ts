// The checks an image passes in the browser before it is uploaded, as the server checks it again (the partner
// contract, `POST /uploads`): its type read from its bytes, not from its name; its size; its dimensions.
import type { Upload } from './partner-api.js';

export const IMAGE_LIMITS = {
  /** 1 MiB, the server's limit. */
  maxBytes: 1024 * 1024,
  /** Smaller than this cannot look sharp even in a 48 px logo on a 2x screen (and beyond a misclick). */
  minSide: 64,
  maxSide: 4096,
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
  | { ok: true; type: Upload['type']; width: number; height: number; bitmap: ImageBitmap }
  | { ok: false; problem: ImageProblem };

/** The image type that `bytes` start with (PNG, JPEG, WebP), or undefined. */
export function sniffImageType(bytes: Uint8Array): Upload['type'] | undefined {
  const starts = (signature: number[], at = 0) => signature.every((byte, index) => bytes[at + index] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

/**
 * Checks an image file before it is sent: type by its first bytes, at most 1 MiB, sides of 64 to 4096 pixels once
 * decoded. Never rejects. The bitmap it decodes is the studio's to draw (and to close).
 */
export async function checkImage(file: Blob): Promise<ImageCheck> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const type = sniffImageType(head);
  if (!type) return { ok: false, problem: IMAGE_PROBLEMS.unsupportedType };
  if (file.size > IMAGE_LIMITS.maxBytes) return { ok: false, problem: IMAGE_PROBLEMS.tooLarge };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, problem: IMAGE_PROBLEMS.unreadable };
  }
  const { width, height } = bitmap;
  const problem =
    Math.min(width, height) < IMAGE_LIMITS.minSide
      ? IMAGE_PROBLEMS.tooSmall
      : Math.max(width, height) > IMAGE_LIMITS.maxSide
        ? IMAGE_PROBLEMS.tooBig
        : undefined;
  if (problem) {
    bitmap.close();
    return { ok: false, problem };
  }
  return { ok: true, type, width, height, bitmap };
}
