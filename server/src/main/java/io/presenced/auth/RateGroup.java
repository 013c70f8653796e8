package io.presenced.auth;

/** RingCentral's API throttling groups. */
public enum RateGroup { Light, Medium, Heavy, Auth }
