import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedUuid } from './time-ordered-uuid.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a UUID version 7 whose first 48 bits are the time in milliseconds', () => {
  const now = Date.parse('2026-11-27T04:00:00Z');
  const id = timeOrderedUuid(now);
  assert.match(id, UUID_V7);
  assert.equal(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16), now);
});

test('ids sort in the order of their times, and never repeat', () => {
  const start = Date.parse('2026-11-27T04:00:00Z');
  const ids = Array.from({ length: 10_000 }, (_, i) => timeOrderedUuid(start + Math.floor(i / 10)));
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 10; i < ids.length; i += 10) {
    assert.ok((ids[i - 10] as string) < (ids[i] as string), `${ids[i - 10]} before ${ids[i]}`);
  }
});
