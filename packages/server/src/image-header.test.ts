import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readImageHeader } from './image-header.js';
import { makeJpegHeader, makePng, makeWebpHeader } from './test-support/make-image.js';

test('reads the type and size of PNG, JPEG and WebP pictures from their headers', () => {
  assert.deepEqual(readImageHeader(makePng(960, 240)), { type: 'image/png', width: 960, height: 240 });
  assert.deepEqual(readImageHeader(makeJpegHeader(640, 480)), { type: 'image/jpeg', width: 640, height: 480 });
  assert.deepEqual(readImageHeader(makeWebpHeader(300, 120)), { type: 'image/webp', width: 300, height: 120 });
});

test('reads lossy (VP8) and lossless (VP8L) WebP sizes', () => {
  const lossy = Buffer.alloc(30);
  lossy.write('RIFF', 0, 'latin1');
  lossy.write('WEBPVP8 ', 8, 'latin1');
  lossy.set([0x9d, 0x01, 0x2a], 23);
  lossy.writeUInt16LE(360, 26);
  lossy.writeUInt16LE(96, 28);
  assert.deepEqual(readImageHeader(lossy), { type: 'image/webp', width: 360, height: 96 });
  const lossless = Buffer.alloc(30);
  lossless.write('RIFF', 0, 'latin1');
  lossless.write('WEBPVP8L', 8, 'latin1');
  lossless[20] = 0x2f;
  lossless.writeUInt32LE((160 - 1) | ((160 - 1) << 14), 21);
  assert.deepEqual(readImageHeader(lossless), { type: 'image/webp', width: 160, height: 160 });
});

test('skips JPEG segments before the frame, whatever their length', () => {
  const jpeg = makeJpegHeader(120, 80);
  const comment = Buffer.from([0xff, 0xfe, 0x00, 0x07, 0x61, 0x62, 0x63, 0x64, 0x65]);
  const withComment = Buffer.concat([jpeg.subarray(0, 2), comment, jpeg.subarray(2)]);
  assert.deepEqual(readImageHeader(withComment), { type: 'image/jpeg', width: 120, height: 80 });
});

test('refuses what is not one of the three types, is cut off or states no size', () => {
  assert.equal(readImageHeader(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
  assert.equal(readImageHeader(Buffer.from('GIF89a\x01\x00\x01\x00')), null);
  assert.equal(readImageHeader(makePng(10, 10).subarray(0, 20)), null);
  assert.equal(readImageHeader(makeJpegHeader(10, 10).subarray(0, 12)), null);
  assert.equal(readImageHeader(makePng(0, 10)), null);
  assert.equal(readImageHeader(Buffer.alloc(0)), null);
});
