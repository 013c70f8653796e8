/**
 * Administration: creating accounts, extensions and apps, issuing credentials, importing a directory
 * file, and the demo account of a first start. Used by the CLI, in or beside a running server.
 */
package io.presenced.admin;
