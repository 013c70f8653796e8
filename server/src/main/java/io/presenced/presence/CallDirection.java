package io.presenced.presence;

/** Direction of a call party, as seen by the extension. */
public enum CallDirection { Inbound, Outbound }
