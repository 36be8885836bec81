import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';

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
  return new signalR.HubConnectionBuilder()
    .withUrl('/hubs/leaderboard')
    .withHubProtocol(new CamelCaseMessagePackProtocol())
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: retryDelay })
    .build();
}
