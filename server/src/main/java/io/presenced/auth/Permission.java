package io.presenced.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** An app permission (OAuth scope), named as RingCentral names it. */
public enum Permission {
    ReadAccounts, ReadPresence, EditPresence, WebSocketsSubscription, IngestPresenceSources, EditExtensions;

    /** The permission of that exact name. */
    public static Optional<Permission> byName(String name) {
        return Arrays.stream(values()).filter(p -> p.name().equals(name)).findFirst();
    }

    /** Parses a space- or comma-separated list; throws on an unknown name, listing the known ones. */
    public static Set<Permission> parseList(String list) {
        Set<Permission> result = EnumSet.noneOf(Permission.class);
        for (String name : list.trim().split("[\\s,]+")) {
            if (name.isEmpty()) {
                continue;
            }
            result.add(byName(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown permission '" + name + "'; known: " + Arrays.toString(values()))));
        }
        return result;
    }

    /** The space-separated form used in OAuth scopes and in the store. */
    public static String format(Set<Permission> permissions) {
        return permissions.stream().sorted().map(Enum::name).collect(Collectors.joining(" "));
    }
}
