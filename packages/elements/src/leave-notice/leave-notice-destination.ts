// Whether a click on a creative first shows the leave-the-bank notice. It runs in the click path (the format
// reporter's lazy chunk), so the channel default lives here rather than in the entry's configuration code.
import type { OpslotConfig } from '@opslot/core';

/** The channels whose operators see the notice unless the configuration says otherwise (issue 6). */
const NOTICE_BY_DEFAULT: readonly string[] = ['corporate-web', 'corporate-mobile'];

/**
 * The host that following `url` leaves the bank for, to name in the leave-the-bank notice; undefined when no notice
 * is due: the notice is off (`leaveNotice`, by default on on corporate channels only), the host is one of
 * `bankDomains` or below one, or `url` is not an absolute URL (the slots only ever follow resolved http(s) URLs).
 *
 * @example
 * leaveNoticeDestination('https://www.partner.example/a', { channel: 'corporate-web', bankDomains: ['demobank.example'] });
 * // 'www.partner.example'
 */
export function leaveNoticeDestination(
  url: string,
  config: Pick<OpslotConfig, 'channel' | 'bankDomains' | 'leaveNotice'> | undefined,
): string | undefined {
  if (!config || !(config.leaveNotice ?? NOTICE_BY_DEFAULT.includes(config.channel))) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const { hostname } = parsed;
  // URL gives the host in lower case; the configuration may not.
  const own = (config.bankDomains ?? []).some((given) => {
    const domain = given.toLowerCase();
    return hostname === domain || hostname.endsWith(`.${domain}`);
  });
  return own ? undefined : parsed.host;
}
