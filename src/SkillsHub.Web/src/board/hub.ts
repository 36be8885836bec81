import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { t } from './strings';

// The boards talk to /hubs/leaderboard in MessagePack (docs/operations.md, "Live updates"): smaller frames
// than JSON for the many spectators. The server's MessagePack maps are keyed by the C# property names
// (Sequence, Rows, Place); this protocol renames them to the camelCase the JSON protocol and the REST
// reads use, so page code reads one shape whatever the wire format.

function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object' || value instanceof Date || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key.charAt(0).toLowerCase() + key.slice(1)] = camel(v);
  return out;
}

class CamelCaseMessagePackProtocol extends MessagePackHubProtocol {
  override parseMessages(input: ArrayBuffer, logger: signalR.ILogger): signalR.HubMessage[] {
    return super.parseMessages(input, logger).map((message) => {
      if (message.type === signalR.MessageType.Invocation) return { ...message, arguments: message.arguments.map(camel) };
      if (message.type === signalR.MessageType.Completion && message.result !== undefined) return { ...message, result: camel(message.result) };
      return message;
    });
  }
}

export function leaderboardConnection(retryDelay: (ctx: signalR.RetryContext) => number): signalR.HubConnection {
  // The board says its connection's state itself: the client's own log wrote three errors to the console at every retry
  // while the hub was out of reach (found by an outside tester), a hall screen's console filling through a Wi-Fi outage.
  return new signalR.HubConnectionBuilder()
    .withUrl('/hubs/leaderboard')
    .withHubProtocol(new CamelCaseMessagePackProtocol())
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: retryDelay })
    .configureLogging(signalR.LogLevel.None)
    .build();
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * The connection badge. `still`: connected to a skill whose standings are frozen or hidden, so the board is up to date
 * but not live, and the badge says connected, not "Live" (found by an outside tester: a frozen board said both "Live"
 * and "frozen at 23:11").
 */
export function drawBadge(badge: HTMLElement, state: ConnectionState, still: boolean): void {
  badge.className = `connection ${still ? 'connected' : state === 'connecting' ? 'reconnecting' : state}`;
  // Written only when it changes: the badge is a polite live region, and text written again is read out again (found by an
  // outside tester: "Live" on every push).
  const text = t(still ? 'conn.connected' : `conn.${state}`);
  if (badge.textContent !== text) badge.textContent = text;
}

/**
 * A board's live link: starts the hub connection (retrying, spread so a full node is not hit by every phone at
 * once), subscribes again after each (re)connection, and reports its state. What to subscribe to and what to do
 * with a push is the board's (board.ts).
 */
export function liveLink(on: { state(state: ConnectionState): void; connected(): Promise<void>; offline(): void }): { connection: signalR.HubConnection; start(): Promise<void> } {
  // Asked before each try to reconnect: from the second on, the hub has not answered since the link dropped. The board then
  // says it is offline and reads the HTTP copy again at each try, as when the hub is out of reach from the start (found by
  // an outside tester: after a drop it said "Reconnecting…" for the whole outage and showed standings half a minute old).
  const connection = leaderboardConnection((ctx) => {
    if (ctx.previousRetryCount > 0) {
      on.state('offline');
      on.offline();
    }
    return Math.min(10000, 500 * 2 ** ctx.previousRetryCount);
  });
  const resubscribe = async (): Promise<void> => {
    try {
      await on.connected();
    } catch {
      // Right after a node dies the skill's grain may still be moving to a live node: try again.
      setTimeout(() => void resubscribe(), 2000);
    }
  };
  const start = async (): Promise<void> => {
    try {
      await connection.start();
      on.state('live');
      await resubscribe();
    } catch {
      on.state('offline');
      on.offline();
      // Spread the retries: a full node (503) should not see every refused phone come back at once.
      setTimeout(() => void start(), 3000 + Math.random() * 7000);
    }
  };
  connection.onreconnecting(() => on.state('reconnecting'));
  connection.onreconnected(async () => {
    on.state('live');
    await resubscribe();
  });
  connection.onclose(() => {
    on.state('offline');
    setTimeout(() => void start(), 3000);
  });
  return { connection, start };
}
