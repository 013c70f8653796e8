package io.presenced.subscription;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One event filter of a subscription, with its ids resolved (never {@code ~}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EventFilter.AccountPresence.class, name = "account"),
    @JsonSubTypes.Type(value = EventFilter.ExtensionPresence.class, name = "extension"),
    @JsonSubTypes.Type(value = EventFilter.ExpiryReminder.class, name = "reminder")})
public sealed interface EventFilter {

    /** The canonical text of the filter, as stored and returned. */
    String text();

    /** Whether events of this filter carry the detailed telephony state. */
    boolean detailed();

    /** Presence of every extension of an account (the Account Presence Event); needs ReadAccounts. */
    record AccountPresence(long accountId, boolean detailed, boolean sipData) implements EventFilter {
        @Override
        public String text() {
            return "/restapi/v1.0/account/" + accountId + "/presence" + query(detailed, sipData);
        }
    }

    /** Presence of one extension; needs ReadPresence. */
    record ExtensionPresence(long accountId, long extensionId, boolean detailed, boolean sipData)
            implements EventFilter {
        @Override
        public String text() {
            return "/restapi/v1.0/account/" + accountId + "/extension/" + extensionId + "/presence"
                    + query(detailed, sipData);
        }
    }

    private static String query(boolean detailed, boolean sipData) {
        return detailed ? "?detailedTelephonyState=true" + (sipData ? "&sipData=true" : "") : "";
    }

    /** A reminder sent {@code threshold} seconds before the subscription expires, repeated every {@code interval}. */
    record ExpiryReminder(long threshold, long interval) implements EventFilter {
        @Override
        public String text() {
            return "/restapi/v1.0/subscription/~?threshold=" + threshold + "&interval=" + interval;
        }

        @Override
        public boolean detailed() {
            return false;
        }
    }
}
