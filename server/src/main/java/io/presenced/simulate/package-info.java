/**
 * The traffic simulator: a seeded model of a busy office that drives a running server through the ingest
 * and REST APIs, and knows what every extension's presence should be.
 */
package io.presenced.simulate;
