import { expect } from '@open-wc/testing';
import { checkImage, declaredSize, sniffImageType } from './image-checks.js';
import { imageFile } from './test-support/images.js';

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

describe('image checks', () => {
  it('reads the type from the bytes, not the name', async () => {
    const jpegNamedPng = await imageFile(120, 80, 'image/jpeg', 'photo.png');
    const check = await checkImage(new File([jpegNamedPng], 'photo.png', { type: 'image/png' }));
    expect(check.ok && [check.type, check.width, check.height]).to.deep.equal(['image/jpeg', 120, 80]);
    expect(sniffImageType(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]))).to.equal(undefined);
    const webp = await imageFile(64, 64, 'image/webp');
    expect(sniffImageType(new Uint8Array(await webp.arrayBuffer()))).to.equal('image/webp');
  });

  it('refuses a GIF, an SVG, a file over 1 MiB, a broken PNG and sides out of range', async () => {
    const gif = new File([new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0])], 'a.gif');
    expect(await checkImage(gif)).to.deep.equal({ ok: false, problem: 'unsupported-type' });
    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'a.png', { type: 'image/png' });
    expect(await checkImage(svg)).to.deep.equal({ ok: false, problem: 'unsupported-type' });
    const png = new Uint8Array(await (await imageFile(64, 64)).arrayBuffer());
    const huge = new File([png, new Uint8Array(1024 * 1024)], 'big.png');
    expect(await checkImage(huge)).to.deep.equal({ ok: false, problem: 'too-large' });
    const broken = new File([png.slice(0, 40)], 'broken.png');
    expect(await checkImage(broken)).to.deep.equal({ ok: false, problem: 'unreadable' });
    expect(await checkImage(await imageFile(32, 200))).to.deep.equal({ ok: false, problem: 'too-small' });
    expect(await checkImage(await imageFile(4097, 64))).to.deep.equal({ ok: false, problem: 'too-big' });
  });

  it('reads the declared size of a PNG, a JPEG and a WebP from their headers', async () => {
    for (const type of ['image/png', 'image/jpeg', 'image/webp'] as const) {
      const bytes = new Uint8Array(await (await imageFile(300, 70, type)).arrayBuffer());
      expect(declaredSize(bytes, type), type).to.deep.equal({ width: 300, height: 70 });
      // Chromium writes its WebP with an extended (VP8X) header.
      if (type === 'image/webp') expect(String.fromCharCode(...bytes.slice(12, 16))).to.equal('VP8X');
    }
    // Chromium writes only extended WebP: the simple lossy and lossless headers, as other encoders write them.
    const webp = (chunk: string, data: number[]) =>
      new Uint8Array([
        ...ascii('RIFF'),
        0,
        0,
        0,
        0,
        ...ascii('WEBP'),
        ...ascii(chunk),
        0,
        0,
        0,
        0,
        ...data,
        ...new Array(10).fill(0),
      ]);
    const lossy = webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 300 & 0xff, 300 >> 8, 70, 0]);
    expect(declaredSize(lossy, 'image/webp')).to.deep.equal({ width: 300, height: 70 });
    const bits = (300 - 1) | ((70 - 1) << 14);
    const lossless = webp('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]);
    expect(declaredSize(lossless, 'image/webp')).to.deep.equal({ width: 300, height: 70 });
    expect(declaredSize(webp('ALPH', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'image/webp')).to.equal(undefined);
  });

  it('refuses a picture whose header declares sides over 4096 without decoding it', async () => {
    // A few hundred bytes that declare a 60000×60000 PNG: decoding it would ask for gigabytes.
    const png = new Uint8Array(await (await imageFile(64, 64)).arrayBuffer());
    const bomb = png.slice();
    new DataView(bomb.buffer).setUint32(16, 60_000);
    new DataView(bomb.buffer).setUint32(20, 60_000);
    expect(await checkImage(new File([bomb], 'bomb.png'))).to.deep.equal({ ok: false, problem: 'too-big' });
    const jpeg = new Uint8Array(await (await imageFile(64, 64, 'image/jpeg')).arrayBuffer());
    const size = declaredSize(jpeg, 'image/jpeg');
    expect(size).to.deep.equal({ width: 64, height: 64 });
    // Find the frame header by the size it declares, and make it 5000 wide.
    const view = new DataView(jpeg.buffer);
    const at = jpeg.findIndex((byte, index) => byte === 0xff && jpeg[index + 1] === 0xc0);
    view.setUint16(at + 7, 5000);
    expect(await checkImage(new File([jpeg], 'wide.jpg'))).to.deep.equal({ ok: false, problem: 'too-big' });
  });
});
