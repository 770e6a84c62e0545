import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInSchedule } from './day-schedule.js';

const at = (local: string) => Date.parse(`${local}+08:00`);

test('day-parting reads the clock and weekday in Asia/Shanghai, whatever the server’s zone', () => {
  const officeHours = { days: [1, 2, 3, 4, 5], hours: [{ from: '08:30', to: '18:00' }] };
  assert.equal(isInSchedule(officeHours, at('2026-01-15T08:30:00')), true, 'Thursday 08:30');
  assert.equal(isInSchedule(officeHours, at('2026-01-15T08:29:59')), false);
  assert.equal(isInSchedule(officeHours, at('2026-01-15T18:00:00')), false, 'to is exclusive');
  assert.equal(isInSchedule(officeHours, at('2026-01-17T10:00:00')), false, 'Saturday');
  // 02:00 UTC on Sunday is 10:00 on Sunday in Shanghai, but 01:00 UTC Monday is 09:00 Monday.
  assert.equal(isInSchedule(officeHours, Date.parse('2026-01-19T01:00:00Z')), true);
});

test('a range whose end is before its start runs over midnight', () => {
  const nights = { hours: [{ from: '22:00', to: '06:00' }] };
  assert.equal(isInSchedule(nights, at('2026-01-15T23:00:00')), true);
  assert.equal(isInSchedule(nights, at('2026-01-16T05:59:00')), true);
  assert.equal(isInSchedule(nights, at('2026-01-16T12:00:00')), false);
  assert.equal(isInSchedule({ days: [7] }, at('2026-01-18T12:00:00')), true, 'days alone: all day Sunday');
});
