/** JMH microbenchmarks of the server's hot paths: aggregation, filter matching, serialisation, store commit. */
package io.presenced.bench.jmh;
