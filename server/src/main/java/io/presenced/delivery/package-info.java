/**
 * Delivery: matching committed presence events to subscriptions, the per-subscription durable backlog
 * (memory in front of the event log), notification bodies, and the WebHook transport with retries,
 * backoff and blacklisting.
 */
package io.presenced.delivery;
