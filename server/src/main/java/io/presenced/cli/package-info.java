/** The {@code presenced} command line: the server and the admin commands. */
package io.presenced.cli;
