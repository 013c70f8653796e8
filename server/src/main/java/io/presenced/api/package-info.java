/** The HTTP API: routing, authentication and rate limiting of each call, request parsing, and error rendering. */
package io.presenced.api;
