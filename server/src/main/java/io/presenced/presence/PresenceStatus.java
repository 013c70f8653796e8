package io.presenced.presence;

/** The aggregated presence of an extension. */
public enum PresenceStatus { Offline, Busy, Available }
