// Checks of a creative's assets, for the lazily loaded formats. The entry's schema check leaves `assets` to them
// (see creative-assets.v1.schema.json, whose rules these mirror), so a malformed asset or an unsafe URL makes the
// creative unshowable here, and the slot moves on to the next candidate or collapses with `op-error`.
import type { Creative, Opslot } from '@opslot/core';

export interface SafeImage {
  src: string;
  /** `srcset` for 2x and 3x screens, or empty. */
  srcset: string;
  width: number;
  height: number;
  alt: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const isSize = (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 10000;

/** A string of 1 to `max` characters (code points, as JSON Schema counts them), or undefined. */
export function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const length = [...value].length;
  return length >= 1 && length <= max ? value : undefined;
}

/** The creative's landing URL, resolved, when it is safe to follow. */
export function landingOf(creative: Creative, session: Opslot): string | undefined {
  return session.resolveUrl(creative.landingUrl)?.href;
}

/** An image asset whose every URL is safe to load, or undefined. */
export function imageOf(image: unknown, session: Opslot): SafeImage | undefined {
  if (!isObject(image) || !isSize(image.width) || !isSize(image.height)) return undefined;
  const alt = text(image.alt, 200);
  const src = typeof image.src === 'string' ? session.resolveUrl(image.src)?.href : undefined;
  const dense = image.srcset ?? [];
  if (!alt || !src || !Array.isArray(dense) || dense.length > 3) return undefined;
  const srcset: string[] = [];
  for (const entry of dense) {
    const denseSrc = isObject(entry) && typeof entry.src === 'string' ? session.resolveUrl(entry.src)?.href : undefined;
    if (!denseSrc || !isObject(entry) || (entry.density !== 2 && entry.density !== 3)) return undefined;
    srcset.push(`${denseSrc} ${entry.density}x`);
  }
  return { src, srcset: srcset.join(), width: image.width as number, height: image.height as number, alt };
}

/** The creative's `assets.text`, as an object to read fields from (empty when absent or not an object). */
export function textsOf(creative: Creative): Json {
  const texts = (creative.assets as Json).text;
  return isObject(texts) ? texts : {};
}
