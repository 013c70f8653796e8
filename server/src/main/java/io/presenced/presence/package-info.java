/**
 * Presence: the state model, telephonyStatus derivation, aggregation, the per-extension sequence
 * and the single writer that commits every change with its event.
 */
package io.presenced.presence;
