// Draws a creative template on a canvas at the slot's pixel size: the picture the studio exports as a PNG, that a
// banner slot shows. Pure drawing over a 2D context, so that it tests without the studio.
import type { CreativeTemplate } from '@opslot/core';

export interface TemplateView {
  template: CreativeTemplate;
  width: number;
  height: number;
  title: string;
  subtitle: string;
  cta: string;
  /** `#rrggbb`. */
  brandColor: string;
  logo?: CanvasImageSource & { width: number; height: number };
  image?: CanvasImageSource & { width: number; height: number };
}

const FONT_FAMILY = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', system-ui, sans-serif";

type Context = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * `text` at the largest size from `maxSize` down to `minSize` that fits `maxWidth`; at `minSize`, cut and ended with
 * an ellipsis. Leaves the context's font set to the size chosen.
 */
export function fitText(
  context: Context,
  text: string,
  maxWidth: number,
  { maxSize, minSize, weight = 400 }: { maxSize: number; minSize: number; weight?: number },
): { text: string; size: number } {
  for (let size = Math.round(maxSize); size >= minSize; size--) {
    context.font = `${weight} ${size}px ${FONT_FAMILY}`;
    if (context.measureText(text).width <= maxWidth) return { text, size };
  }
  const size = Math.round(minSize);
  context.font = `${weight} ${size}px ${FONT_FAMILY}`;
  // Code points, so that a cut never splits a surrogate pair.
  const characters = [...text];
  while (characters.length > 0 && context.measureText(`${characters.join('')}…`).width > maxWidth) characters.pop();
  return { text: characters.length > 0 ? `${characters.join('')}…` : '', size };
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance; as the native format picks it). */
export function readableOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#000000' : '#ffffff';
}

/** Draws `view` on `context`, whose canvas is `view.width` × `view.height`. */
export function renderTemplate(context: Context, view: TemplateView): void {
  const { width, height } = view;
  context.save();
  context.clearRect(0, 0, width, height);
  context.textBaseline = 'middle';
  if (view.template === 'native-card') drawNativeCard(context, view);
  else if (view.template === 'banner-centered') drawCentered(context, view);
  else drawLeftImage(context, view);
  context.restore();
}

function drawLeftImage(context: Context, view: TemplateView): void {
  const { width, height, brandColor } = view;
  const ink = readableOn(brandColor);
  context.fillStyle = brandColor;
  context.fillRect(0, 0, width, height);
  // The picture takes the left part at a 4:3 ratio, never more than 45 % of the width.
  const imageWidth = Math.min(Math.round((height * 4) / 3), Math.round(width * 0.45));
  if (view.image) drawCover(context, view.image, 0, 0, imageWidth, height);
  else {
    context.fillStyle = ink === '#ffffff' ? 'rgb(255 255 255 / 0.15)' : 'rgb(0 0 0 / 0.08)';
    context.fillRect(0, 0, imageWidth, height);
  }
  const padding = Math.max(8, Math.round(height * 0.1));
  const left = imageWidth + padding;
  const textWidth = width - left - padding;
  let top = padding;
  if (view.logo) {
    const logoSize = Math.round(height * 0.22);
    drawContain(context, view.logo, left, top, logoSize * 2, logoSize);
    top += logoSize + Math.round(padding / 2);
  }
  drawTexts(context, view, { left, top, width: textWidth, bottom: height - padding, align: 'left', ink });
}

function drawCentered(context: Context, view: TemplateView): void {
  const { width, height, brandColor } = view;
  const ink = readableOn(brandColor);
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, brandColor);
  gradient.addColorStop(1, shade(brandColor, ink === '#ffffff' ? -0.25 : 0.2));
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  const padding = Math.max(8, Math.round(height * 0.1));
  let top = padding;
  if (view.logo) {
    const logoSize = Math.round(height * 0.2);
    drawContain(context, view.logo, (width - logoSize * 2) / 2, top, logoSize * 2, logoSize);
    top += logoSize + Math.round(padding / 2);
  }
  drawTexts(context, view, {
    left: padding,
    top,
    width: width - padding * 2,
    bottom: height - padding,
    align: 'center',
    ink,
  });
}

function drawNativeCard(context: Context, view: TemplateView): void {
  const { width, height, brandColor } = view;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.strokeStyle = '#e3e5e8';
  context.lineWidth = 1;
  context.strokeRect(0.5, 0.5, width - 1, height - 1);
  const padding = Math.max(8, Math.round(height * 0.12));
  const logoSize = Math.min(height - padding * 2, Math.round(height * 0.5));
  if (view.logo) drawContain(context, view.logo, padding, (height - logoSize) / 2, logoSize, logoSize);
  const left = padding * 2 + logoSize;
  // The call to action sits on the right, in the brand colour, as the native format shows it.
  const cta = fitText(context, view.cta, width * 0.3, { maxSize: height * 0.16, minSize: 10, weight: 600 });
  const ctaWidth = context.measureText(cta.text).width + cta.size * 2;
  const ctaHeight = Math.round(cta.size * 2.2);
  const ctaLeft = width - padding - ctaWidth;
  roundRect(context, ctaLeft, (height - ctaHeight) / 2, ctaWidth, ctaHeight, ctaHeight / 2, brandColor);
  context.fillStyle = readableOn(brandColor);
  context.textAlign = 'center';
  context.fillText(cta.text, ctaLeft + ctaWidth / 2, height / 2);
  const textWidth = ctaLeft - left - padding;
  const title = fitText(context, view.title, textWidth, { maxSize: height * 0.17, minSize: 10, weight: 600 });
  context.textAlign = 'left';
  context.fillStyle = '#1f2329';
  const titleY = view.subtitle ? height / 2 - title.size * 0.7 : height / 2;
  context.fillText(title.text, left, titleY);
  if (view.subtitle) {
    const subtitle = fitText(context, view.subtitle, textWidth, { maxSize: height * 0.13, minSize: 9 });
    context.fillStyle = '#5c6370';
    context.fillText(subtitle.text, left, height / 2 + subtitle.size * 0.8);
  }
}

/** Title, subtitle and a call-to-action button, stacked from `top`, fitted to `width`. */
function drawTexts(
  context: Context,
  view: TemplateView,
  box: { left: number; top: number; width: number; bottom: number; align: 'left' | 'center'; ink: string },
): void {
  const available = box.bottom - box.top;
  const x = box.align === 'center' ? box.left + box.width / 2 : box.left;
  context.textAlign = box.align;
  context.fillStyle = box.ink;
  const title = fitText(context, view.title, box.width, { maxSize: available * 0.3, minSize: 10, weight: 700 });
  let y = box.top + title.size / 2;
  context.fillText(title.text, x, y);
  y += title.size * 0.6;
  if (view.subtitle) {
    const subtitle = fitText(context, view.subtitle, box.width, { maxSize: available * 0.17, minSize: 9 });
    y += subtitle.size * 0.9;
    context.globalAlpha = 0.85;
    context.fillText(subtitle.text, x, y);
    context.globalAlpha = 1;
    y += subtitle.size * 0.6;
  }
  const cta = fitText(context, view.cta, box.width * 0.6, { maxSize: available * 0.15, minSize: 10, weight: 600 });
  const ctaHeight = Math.round(cta.size * 2);
  const ctaWidth = context.measureText(cta.text).width + cta.size * 2;
  const ctaTop = Math.min(y + cta.size * 0.6, box.bottom - ctaHeight);
  const ctaLeft = box.align === 'center' ? x - ctaWidth / 2 : x;
  roundRect(context, ctaLeft, ctaTop, ctaWidth, ctaHeight, ctaHeight / 2, box.ink);
  context.fillStyle = view.brandColor;
  context.textAlign = 'center';
  context.fillText(cta.text, ctaLeft + ctaWidth / 2, ctaTop + ctaHeight / 2);
}

/** Fills the box with the image, cropped to keep its ratio (CSS `object-fit: cover`). */
function drawCover(
  context: Context,
  image: TemplateView['image'] & {},
  x: number,
  y: number,
  width: number,
  height: number,
) {
  const scale = Math.max(width / image.width, height / image.height);
  const sourceWidth = width / scale;
  const sourceHeight = height / scale;
  context.drawImage(
    image,
    (image.width - sourceWidth) / 2,
    (image.height - sourceHeight) / 2,
    sourceWidth,
    sourceHeight,
    x,
    y,
    width,
    height,
  );
}

/** Fits the image inside the box, keeping its ratio (CSS `object-fit: contain`), centred. */
function drawContain(
  context: Context,
  image: TemplateView['logo'] & {},
  x: number,
  y: number,
  width: number,
  height: number,
) {
  const scale = Math.min(width / image.width, height / image.height);
  const drawnWidth = image.width * scale;
  const drawnHeight = image.height * scale;
  context.drawImage(image, x + (width - drawnWidth) / 2, y + (height - drawnHeight) / 2, drawnWidth, drawnHeight);
}

function roundRect(
  context: Context,
  x: number,
  y: number,
  width: number,
  height: number,
  radius: number,
  fill: string,
) {
  context.beginPath();
  context.roundRect(x, y, width, height, radius);
  context.fillStyle = fill;
  context.fill();
}

/** `hex` made darker (negative `amount`) or lighter, as `rgb()`. */
function shade(hex: string, amount: number): string {
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16));
  const mixed = channels.map((channel) =>
    Math.round(amount < 0 ? channel * (1 + amount) : channel + (255 - channel) * amount),
  );
  return `rgb(${mixed.join(' ')})`;
}
