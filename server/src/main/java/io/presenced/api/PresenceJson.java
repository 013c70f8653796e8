package io.presenced.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionType;
import io.presenced.presence.PresenceState;

/** Renders presence resources as RingCentral's GetPresenceInfo. */
final class PresenceJson {
    private PresenceJson() {
    }

    static String extensionUri(String base, Extension e) {
        return base + "/restapi/v1.0/account/" + e.accountId() + "/extension/" + e.id();
    }

    /**
     * The presence of one extension. An extension the caller may not see shows only who it is and that
     * it hides its presence; a non-User extension has no telephony, user or DND status (as RingCentral).
     */
    static ObjectNode render(String base, Extension e, PresenceState s, boolean visible) {
        ObjectNode node = Json.object();
        node.put("uri", extensionUri(base, e) + "/presence");
        ObjectNode ext = node.putObject("extension");
        ext.put("id", e.id());
        ext.put("uri", extensionUri(base, e));
        ext.put("extensionNumber", e.extensionNumber());
        if (!visible) {
            node.put("allowSeeMyPresence", false);
            return node;
        }
        node.put("presenceStatus", s.presenceStatus().name());
        if (e.type() == ExtensionType.User) {
            node.put("telephonyStatus", s.telephonyStatus().name());
            node.put("userStatus", s.userStatus().name());
            node.put("dndStatus", s.dndStatus().name());
            node.put("message", s.message());
        }
        node.put("allowSeeMyPresence", s.allowSeeMyPresence());
        node.put("ringOnMonitoredCall", s.ringOnMonitoredCall());
        node.put("pickUpCallsOnHold", s.pickUpCallsOnHold());
        node.put("meetingStatus", s.meetingStatus().name());
        return node;
    }
}
