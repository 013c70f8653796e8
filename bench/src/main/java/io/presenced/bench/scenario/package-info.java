/** The scenarios of the {@code presenced-bench} command, each printing its rows in the common format. */
package io.presenced.bench.scenario;
