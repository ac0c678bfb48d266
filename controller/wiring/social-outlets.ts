import type { Logger } from '../logger.js';
import { FacebookPage } from '../publishing/facebook-page.js';
import type { SocialOutlet } from '../publishing/social-publisher.js';
import { tokenSource } from '../publishing/social-token.js';
import { ZaloOa } from '../publishing/zalo-oa.js';
import type { Settings } from '../settings.js';

/** The fanpage and the Zalo OA the config switches on, each with where its token is kept (a file, or the environment). */
export function socialOutlets(settings: Settings, log: Logger): SocialOutlet[] {
  const { facebook, zalo, webhook_timeout_s: timeout_s } = settings.publishing;
  const outlets: SocialOutlet[] = [];
  if (facebook)
    outlets.push({
      channel: new FacebookPage({ ...facebook, timeout_s }),
      token: tokenSource('TT_FACEBOOK_TOKEN', facebook.token_file),
    });
  if (zalo) {
    const author = zalo.author || `UBND ${settings.commune.name}`;
    outlets.push({
      channel: new ZaloOa({ ...zalo, author, timeout_s }),
      token: tokenSource('TT_ZALO_TOKEN', zalo.token_file),
    });
  }
  // Said at start, not first at the first bulletin: a channel switched on without its token would
  // otherwise look connected until a post waits on it.
  for (const { channel, token } of outlets) {
    let problem: string | undefined;
    try {
      if (!token.read()) problem = 'no token in place';
    } catch (err) {
      problem = `token unreadable: ${(err as Error).message}`;
    }
    if (problem)
      log.warn(
        { channel: channel.name, where: token.where },
        `${channel.name} is switched on, but ${problem}: posts will wait until a token is put at ${token.where}`,
      );
  }
  return outlets;
}
