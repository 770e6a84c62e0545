import { expect } from '@open-wc/testing';
import { fitText, readableOn, renderTemplate } from './render-template.js';

const context = () => new OffscreenCanvas(960, 240).getContext('2d') as OffscreenCanvasRenderingContext2D;
const pixel = (canvas: OffscreenCanvasRenderingContext2D, x: number, y: number) => [
  ...canvas.getImageData(x, y, 1, 1).data,
];

describe('template rendering', () => {
  it('fits text by shrinking it, then ends it with an ellipsis', () => {
    const ctx = context();
    const short = fitText(ctx, '澄川精密', 300, { maxSize: 32, minSize: 12 });
    expect(short).to.deep.equal({ text: '澄川精密', size: 32 });
    const long = fitText(ctx, '澄川精密机械有限公司数控机床以旧换新', 120, { maxSize: 32, minSize: 12 });
    expect(long.size).to.equal(12);
    expect(long.text.endsWith('…')).to.equal(true);
    ctx.font = `400 12px sans-serif`;
    expect(ctx.measureText(long.text).width).to.be.at.most(120);
  });

  it('draws each template at the slot size in the brand colour, and picks a readable ink for it', () => {
    // Where the brand colour shows plain: right of the picture, and where the centred banner's gradient starts.
    const brandAt = { 'banner-left-image': [955, 3], 'banner-centered': [0, 0] } as const;
    for (const [template, [x, y]] of Object.entries(brandAt) as [keyof typeof brandAt, readonly [number, number]][]) {
      const ctx = context();
      renderTemplate(ctx, {
        template,
        width: 960,
        height: 240,
        title: '数控机床以旧换新',
        subtitle: '',
        cta: '立即了解',
        brandColor: '#0b3d91',
      });
      const [r, g, b] = pixel(ctx, x, y) as [number, number, number];
      expect(Math.abs(r - 11) + Math.abs(g - 61) + Math.abs(b - 145), template).to.be.at.most(3);
    }
    const native = new OffscreenCanvas(300, 120).getContext('2d') as OffscreenCanvasRenderingContext2D;
    renderTemplate(native, {
      template: 'native-card',
      width: 300,
      height: 120,
      title: '澄川',
      subtitle: '',
      cta: '了解',
      brandColor: '#c7000b',
    });
    expect(pixel(native, 150, 4)).to.deep.equal([255, 255, 255, 255]);
    expect(readableOn('#0b3d91')).to.equal('#ffffff');
    expect(readableOn('#ffd400')).to.equal('#000000');
  });
});
