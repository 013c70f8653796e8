package io.presenced.auth;

/** RingCentral's API throttling groups, and Presenced's own group for source ingest. */
public enum RateGroup { Light, Medium, Heavy, Auth, Ingest }
