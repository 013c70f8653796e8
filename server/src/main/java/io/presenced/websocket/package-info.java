/**
 * The WebSocket gateway: RingCentral's WSG protocol (ConnectionDetails, ClientRequest, ServerNotification,
 * Heartbeat), WebSocket subscriptions, and session recovery within the recovery timeout.
 */
package io.presenced.websocket;
