/** The benchmark harness: scenarios that print figures (throughput, latency percentiles, memory). */
package io.presenced.bench;
