/** The physical-limit reference: a bare Helidon SE server with a trivial HTTP handler and a frame pusher. */
package io.presenced.bench.limit;
