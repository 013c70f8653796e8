package io.presenced.delivery;

/**
 * Which form of a presence event a subscription gets: account-level (telephonyStatus only when it
 * changed) or extension-level, plain or detailed (with active calls), with SIP data or not.
 */
public record Variant(boolean extensionLevel, boolean detailed, boolean sipData) {
}
