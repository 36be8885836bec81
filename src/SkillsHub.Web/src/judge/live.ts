// The skill's marking progress, live: the hub names the competitors whose sheets changed (nothing of the marks), and the
// tablet refetches those sheets through its own endpoint, so a colleague's measurement or score shows without reopening
// the competitor (found by an outside tester: the sheet stayed "not marked yet", and a tap replaced the colleague's value
// unawares). Offline, nothing is lost: the connection comes back, and the sheets are all read again then.
import * as signalR from '@microsoft/signalr';
import { scheduleSheetRefresh } from './marks';
import { st } from './state';

let connection: signalR.HubConnection | null = null;
let followedToken = '';

/**
 * Follows the paired skill's progress (once per pairing); stops when there is no pairing. <rulesChanged> runs when the
 * skill's marking rules change (a lock lifted, the groups, the scheme): the assignment is read again, so an unlocked
 * aspect is editable at once (an outside tester: it stayed "locked, read-only" until the page was reloaded). <checkPairing>
 * runs when the connection is lost.
 */
export function followSheets(rulesChanged: () => void, checkPairing: () => void): void {
  const session = st.session;
  if (!session) {
    stopFollowing();
    return;
  }
  if (connection && followedToken === session.token) return;
  stopFollowing();
  followedToken = session.token;
  const c = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/leaderboard', { accessTokenFactory: () => session.token })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(30000, 1000 * 2 ** ctx.previousRetryCount) })
    .configureLogging(signalR.LogLevel.None)
    .build();
  connection = c;
  c.on('sheetsChanged', (message: { competitorIds: string[] }) => message.competitorIds.forEach((id) => scheduleSheetRefresh(id)));
  c.on('rulesChanged', rulesChanged);
  // The page says whether it follows the skill (<body data-following>), for a person's tools and the tests.
  const following = (on: boolean) => { document.body.dataset.following = String(on); };
  const subscribe = () => c.invoke('SubscribeProgress', session.competitionCode, session.skillNumber).then(() => following(true));
  // A connection lost may be the pairing revoked (the server ends a revoked tablet's connection at once): the pairing is
  // checked then, so the judge learns it before the next tap (found by an outside tester: only a tap found out).
  c.onreconnecting(() => { following(false); checkPairing(); });
  c.onclose(() => { following(false); if (connection === c) checkPairing(); });
  c.onreconnected(() => {
    void subscribe().catch(() => undefined);
    // What changed during the gap was not sent: the rules (and with them every sheet) are read again.
    rulesChanged();
  });
  const start = async (): Promise<void> => {
    try {
      await c.start();
      await subscribe();
    } catch {
      // Offline, or the node restarting: try again while this pairing is the one followed.
      if (connection === c) setTimeout(() => void (connection === c && c.state === signalR.HubConnectionState.Disconnected ? start() : undefined), 10000);
    }
  };
  void start();
}

export function stopFollowing(): void {
  const c = connection;
  connection = null;
  followedToken = '';
  void c?.stop();
}
