/** The process under test: data directory fixtures, the child JVM, its CPU, heap samples and forced GC. */
package io.presenced.bench.server;
