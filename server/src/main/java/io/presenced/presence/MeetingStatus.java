package io.presenced.presence;

/** Whether the user is in a meeting. */
public enum MeetingStatus { Connected, Disconnected }
