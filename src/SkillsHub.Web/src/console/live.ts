// The console's connection to the leaderboard hub, for a skill's progress feed (LeaderboardHub.SubscribeProgress):
// "sheetsChanged", "rulesChanged" and "visibilityChanged", each naming the competition and skill and nothing more; a
// section reads what changed through the HTTP API, with its own rights.
import * as signalR from '@microsoft/signalr';
import { token } from './api';
import type { Ctx } from './context';

const events = ['sheetsChanged', 'rulesChanged', 'visibilityChanged'] as const;

/** After the first quick tries, every 10 s for as long as the section is open. */
const retryMs = (count: number) => [0, 1000, 2000, 5000][count] ?? 10000;

/**
 * Follows a skill's progress feed while a section is open: subscribes once connected and after every reconnection, then
 * calls `again` (the section reads what it may have missed meanwhile; the page was read before it subscribed). It keeps
 * trying for as long as the section is open, a first start that fails and a connection that closes included, as the
 * boards do (found by an outside tester: after about a minute offline the marking grid stopped trying, and said
 * "reconnecting" for good). Signed in as the console is (its device token, else the session cookie). Every event of the
 * feed has a handler, doing nothing until the section adds its own: one a section does not follow logs no warning.
 */
export function followProgress(ctx: Ctx, code: string, skill: number, on: { live(live: boolean): void; again(): void }): signalR.HubConnection {
  const options: signalR.IHttpConnectionOptions = {};
  const bearer = token();
  if (bearer) options.accessTokenFactory = () => bearer;
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/leaderboard', options)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => retryMs(c.previousRetryCount) })
    .configureLogging(signalR.LogLevel.None)
    .build();
  for (const event of events) connection.on(event, () => undefined);
  let left = false;
  // A subscription refused (the grain moving to another node) ends the connection, which then starts again.
  const subscribe = () => connection.invoke('SubscribeProgress', code, skill).then(() => { on.live(true); on.again(); }, () => connection.stop());
  const begin = (): void => {
    connection.start().then(() => (left ? connection.stop() : subscribe()), () => {
      on.live(false);
      if (!left) window.setTimeout(begin, retryMs(9));
    });
  };
  connection.onreconnecting(() => on.live(false));
  connection.onreconnected(() => void subscribe());
  connection.onclose(() => {
    on.live(false);
    if (!left) window.setTimeout(begin, retryMs(9));
  });
  ctx.onLeave(() => {
    left = true;
    void connection.stop();
  });
  begin();
  return connection;
}
