package io.presenced.presence;

/** The status a user sets for themselves. */
public enum UserStatus { Offline, Busy, Available }
