import type { Size } from '@opslot/core';

const SIZE_ATTRIBUTE = /^\s*(\d{1,5})\s*[x×]\s*(\d{1,5})\s*$/i;

/** Parses a `size="960x240"` attribute; undefined when absent or malformed. */
export function parseSlotSize(value: string | null | undefined): Size | undefined {
  const match = SIZE_ATTRIBUTE.exec(value ?? '');
  if (!match) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  return width > 0 && height > 0 ? [width, height] : undefined;
}
