/**
 * Subscriptions: event filters, the subscription lifecycle (create, renew, update, expire,
 * blacklist), and the in-memory index that finds the subscriptions an event matches.
 */
package io.presenced.subscription;
