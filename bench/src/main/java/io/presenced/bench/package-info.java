/**
 * The benchmark harness: the {@code presenced-bench} command. Each scenario (package {@code scenario}) starts the
 * server as a child process ({@code server}), drives it with a load ({@code load}) through the clients
 * ({@code client}), matches every notification with its source event ({@code track}) and prints rows in one format
 * ({@code report}); {@code limit} is the trivial-endpoint reference and {@code jmh} the microbenchmarks.
 */
package io.presenced.bench;
