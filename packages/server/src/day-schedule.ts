import type { DaySchedule } from './catalogue.js';
import { shanghaiClock } from './shanghai-time.js';

/** `HH:MM` as minutes since midnight; `24:00` is allowed as the end of the day. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * Whether day-parting lets a campaign run at `now`, in Asia/Shanghai: its weekday is listed (or no days are given)
 * and the local time falls in one of the ranges (or no ranges are given). A range whose `to` is before its `from`
 * runs over midnight, such as 22:00–06:00.
 */
export function isInSchedule(schedule: DaySchedule, now: number): boolean {
  const { weekday, minutes } = shanghaiClock(now);
  if (schedule.days && !schedule.days.includes(weekday)) return false;
  if (!schedule.hours) return true;
  return schedule.hours.some(({ from, to }) => {
    const start = minutesOf(from);
    const end = minutesOf(to);
    return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  });
}
