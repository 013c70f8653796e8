/** Presence sources: telephony session events and meeting events from a PBX, meeting system or connector. */
package io.presenced.ingest;
