/** China has kept UTC+8 without daylight saving since 1991, so local time is a fixed offset. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** ISO weekday (1 = Monday … 7 = Sunday) and minutes since local midnight, in Asia/Shanghai. */
export function shanghaiClock(epochMs: number): { weekday: number; minutes: number } {
  const local = new Date(epochMs + SHANGHAI_OFFSET_MS);
  return { weekday: local.getUTCDay() || 7, minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** Epoch milliseconds of the latest Asia/Shanghai midnight at or before `epochMs`. */
export function startOfShanghaiDay(epochMs: number): number {
  return Math.floor((epochMs + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** Epoch milliseconds of the latest Monday 00:00 Asia/Shanghai (the ISO week's start) at or before `epochMs`. */
export function startOfShanghaiWeek(epochMs: number): number {
  const dayStart = startOfShanghaiDay(epochMs);
  return dayStart - (shanghaiClock(epochMs).weekday - 1) * DAY_MS;
}
