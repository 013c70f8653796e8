/** Authentication and authorisation: apps, OAuth tokens, JWT credentials, passwords, permissions and rate limits. */
package io.presenced.auth;
