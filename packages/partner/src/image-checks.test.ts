import { expect } from '@open-wc/testing';
import { checkImage, sniffImageType } from './image-checks.js';
import { imageFile } from './test-support/images.js';

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
});
