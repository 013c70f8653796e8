/** The clients: REST calls, a minimal WebSocket and WSG client, a WebHook receiver, a notification scanner. */
package io.presenced.bench.client;
