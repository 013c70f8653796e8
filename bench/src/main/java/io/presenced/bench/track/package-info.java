/** Matching notifications with their source events by (extensionId, sequence): latency, early and late receipts. */
package io.presenced.bench.track;
