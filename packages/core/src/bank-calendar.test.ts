import { expect } from '@open-wc/testing';
import { bankCalendar, DEFAULT_TIME_ZONE } from './bank-calendar.js';

/** The day number of `time` in `timeZone`, the long way round: the browser's time-zone data. */
function dayByTimeZoneData(time: number, timeZone: string): number {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const [year, month, day] = format.format(time).split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

describe('bankCalendar', () => {
  it("counts the default zone's days as the browser's time-zone data does, from 1992 to 2060", () => {
    const calendar = bankCalendar(DEFAULT_TIME_ZONE);
    const times: number[] = [];
    // Every fourth hour (so every hour of the day over the run) of a day in each month, and the minutes around
    // Beijing's midnight (16:00 UTC), where an offset that is wrong by a minute shows.
    for (let year = 1992; year <= 2060; year++) {
      for (let month = 0; month < 12; month++) {
        for (let hour = (year + month) % 4; hour < 24; hour += 4) times.push(Date.UTC(year, month, 13, hour, 7));
        times.push(Date.UTC(year, month, 28, 15, 59, 59, 999), Date.UTC(year, month, 28, 16));
      }
    }
    const disagreeing = times.filter((time) => calendar.day(time) !== dayByTimeZoneData(time, DEFAULT_TIME_ZONE));
    expect(disagreeing.map((time) => new Date(time).toISOString())).to.deep.equal([]);
    expect(times.length).to.be.greaterThan(5000);
  });

  it('turns the day at midnight in Beijing, which is still the previous day in UTC', () => {
    const calendar = bankCalendar('Asia/Shanghai');
    const beforeMidnight = Date.UTC(2026, 10, 25, 15, 59, 59, 999);
    expect(calendar.day(beforeMidnight + 1) - calendar.day(beforeMidnight)).to.equal(1);
    expect(calendar.day(beforeMidnight + 1)).to.equal(Date.UTC(2026, 10, 26) / 86_400_000);
  });

  it('follows daylight saving time in other zones', () => {
    const calendar = bankCalendar('America/New_York');
    // 2026-03-08 02:00 EST became 03:00 EDT: midnight is 05:00 UTC before, 04:00 UTC after.
    expect(calendar.day(Date.UTC(2026, 2, 8, 4, 59))).to.equal(Date.UTC(2026, 2, 7) / 86_400_000);
    expect(calendar.day(Date.UTC(2026, 2, 9, 4, 1))).to.equal(Date.UTC(2026, 2, 9) / 86_400_000);
    expect(calendar.day(Date.UTC(2026, 2, 9, 3, 59))).to.equal(Date.UTC(2026, 2, 8) / 86_400_000);
  });

  it('starts ISO weeks on Mondays', () => {
    const calendar = bankCalendar(DEFAULT_TIME_ZONE);
    const sunday = calendar.day(Date.UTC(2026, 10, 29, 12));
    expect(calendar.week(sunday + 1) - calendar.week(sunday)).to.equal(1);
    expect(calendar.week(sunday)).to.equal(calendar.week(sunday - 6));
  });

  it('refuses a zone the browser does not know', () => {
    expect(() => bankCalendar('Mars/Olympus_Mons')).to.throw(RangeError);
  });
});
