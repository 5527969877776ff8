// smtp-server greets every connection only after a fixed 100 ms pause
// (SMTPConnection.init arms `setTimeout(connectionReady, 100)`), so that a
// client that talks before the greeting — a spam-bot trait — gets
// "421 You talk too soon". The capture server is a loopback test target, not
// a public MX: there that pause was most of a session's time, and a Run All of
// 50 sessions waited 5 s for nothing. The package has no option for it, so our
// server builds its connections with the subclass below (the package exports
// SMTPConnection as smtp-server/lib/smtp-connection); its own code is
// untouched, and test/server/captureServer/greetingWithoutPause.test.ts fails
// if an update renames or reorders what this relies on.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SMTPServer } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection';

/**
 * A connection that greets after two turns of the event loop instead of
 * 100 ms. The first turn lets the new socket start reading; the second comes
 * after the poll that reads whatever the client sent together with its
 * connection, so such bytes are still answered "421 You talk too soon".
 * What is no longer caught: a client that waits for nothing but writes its
 * first command a few milliseconds later (it now arrives after the greeting,
 * as from any prompt server). With the capture server's delayMs the greeting
 * waits in onConnect, and anything sent during that wait is still refused.
 */
class ConnectionWithoutGreetingPause extends SMTPConnection {
  override init(): void {
    this._setListeners(() => {
      // The same connection limit check as SMTPConnection.init.
      const { maxClients } = this._server.options;
      if (maxClients && this._server.connections.size > maxClients) {
        this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
        return;
      }
      setImmediate(() => setImmediate(() => this.connectionReady()));
    });
  }
}

/** Makes `server` build its connections without the greeting pause (SMTPServer.connect, with our subclass). */
export function greetWithoutPause(server: SMTPServer): void {
  server.connect = (socket: Socket | TLSSocket, socketOptions?: SMTPConnectionOptions | null) => {
    const connection = new ConnectionWithoutGreetingPause(server, socket, socketOptions);
    server.connections.add(connection);
    connection.on('error', (error: Error) => server._onError(error));
    connection.on('connect', (data) => server._onClientConnect(data));
    connection.init();
  };
}
