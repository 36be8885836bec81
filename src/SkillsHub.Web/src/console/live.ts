// The console's connection to the leaderboard hub, for a skill's progress feed (LeaderboardHub.SubscribeProgress):
// "sheetsChanged", "rulesChanged" and "visibilityChanged", each naming the competition and skill and nothing more; a
// section reads what changed through the HTTP API, with its own rights.
import * as signalR from '@microsoft/signalr';
import { token } from './api';

const events = ['sheetsChanged', 'rulesChanged', 'visibilityChanged'] as const;

/**
 * A new connection (not started), signed in as the console is (its device token, else the session cookie). Every event of
 * the feed has a handler, doing nothing until the section adds its own: one a section does not follow (the marking
 * floor and the visibility) logs no warning in the browser's console.
 */
export function progressConnection(): signalR.HubConnection {
  const options: signalR.IHttpConnectionOptions = {};
  const bearer = token();
  if (bearer) options.accessTokenFactory = () => bearer;
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/leaderboard', options)
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  for (const event of events) connection.on(event, () => undefined);
  return connection;
}
