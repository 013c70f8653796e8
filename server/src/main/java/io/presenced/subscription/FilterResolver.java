package io.presenced.subscription;

import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.Permission;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;
import io.presenced.presence.PresenceService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a subscription's event filters, resolves {@code ~} to real ids, and sorts them into the
 * filters the owner may use and the ones it may not (SPEC §5).
 */
public final class FilterResolver {
    private static final Pattern ACCOUNT = Pattern.compile("/restapi/v1\\.0/account/(~|\\d{1,18})/presence");
    private static final Pattern EXTENSION =
            Pattern.compile("/restapi/v1\\.0/account/(~|\\d{1,18})/extension/(~|\\d{1,18})/presence");
    private static final Pattern REMINDER = Pattern.compile("/restapi/v1\\.0/subscription/~");
    private static final long MAX_REMINDER_SECONDS = 315_360_000L;

    /** The usable filters and the disabled ones. */
    public record Resolution(List<EventFilter> filters, List<Subscription.DisabledFilter> disabled) {
    }

    private final Directory directory;
    private final PresenceService presence;

    public FilterResolver(Directory directory, PresenceService presence) {
        this.directory = directory;
        this.presence = presence;
    }

    /** Resolves the filters for {@code owner}; throws the RingCentral error when none can be used. */
    public Resolution resolve(Caller owner, List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw ApiException.parameter(400, "SUB-508", "Invalid event filters: []", "eventFilters", "[]");
        }
        List<String> invalid = new ArrayList<>();
        Map<String, EventFilter> parsed = new LinkedHashMap<>();
        for (String text : texts) {
            Optional<EventFilter> filter = text == null ? Optional.empty() : parse(owner, text);
            if (filter.isEmpty()) {
                invalid.add(String.valueOf(text));
            } else {
                parsed.putIfAbsent(filter.get().text(), filter.get());
            }
        }
        if (!invalid.isEmpty()) {
            String list = "[" + String.join(", ", invalid) + "]";
            throw ApiException.parameter(400, "SUB-508", "Invalid event filters: " + list, "eventFilters", list);
        }
        List<EventFilter> usable = new ArrayList<>();
        List<Subscription.DisabledFilter> disabled = new ArrayList<>();
        Set<Permission> missing = new LinkedHashSet<>();
        for (EventFilter filter : parsed.values()) {
            Optional<Permission> needed = switch (filter) {
                case EventFilter.AccountPresence a -> Optional.of(Permission.ReadAccounts);
                case EventFilter.ExtensionPresence e -> Optional.of(Permission.ReadPresence);
                case EventFilter.ExpiryReminder r -> Optional.empty();
            };
            if (needed.isPresent() && !owner.has(needed.get())) {
                missing.add(needed.get());
                disabled.add(new Subscription.DisabledFilter(filter.text(),
                        "Permission [" + needed.get() + "] is required"));
            } else {
                usable.add(filter);
            }
        }
        if (usable.isEmpty()) {
            Permission first = missing.iterator().next();
            throw ApiException.permission("CMN-408", "CMN-408", "In order to call this API endpoint, user needs to"
                    + " have [" + first + "] permission for requested resource.", first.name());
        }
        return new Resolution(usable, disabled);
    }

    private Optional<EventFilter> parse(Caller owner, String text) {
        int q = text.indexOf('?');
        String path = q < 0 ? text : text.substring(0, q);
        Optional<Map<String, String>> query = query(q < 0 ? "" : text.substring(q + 1));
        if (query.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> params = query.get();
        Matcher m;
        if ((m = ACCOUNT.matcher(path)).matches()) {
            Optional<Boolean[]> flags = flags(params);
            long account = account(owner, m.group(1));
            return flags.map(f -> new EventFilter.AccountPresence(account, f[0], f[0] && f[1]));
        }
        if ((m = EXTENSION.matcher(path)).matches()) {
            Optional<Boolean[]> flags = flags(params);
            long account = account(owner, m.group(1));
            Optional<Extension> extension = m.group(2).equals("~") ? Optional.of(owner.extension())
                    : directory.extension(Long.parseLong(m.group(2)));
            if (extension.isEmpty() || flags.isEmpty()) {
                return Optional.empty();
            }
            Extension target = extension.get();
            if (target.accountId() != account) {
                throw otherAccount();
            }
            boolean hidden = !presence.get(target).allowSeeMyPresence();
            if (hidden && !owner.isAdmin() && owner.extensionId() != target.id()) {
                throw ApiException.of(403, "SUB-403", "Extension " + target.id()
                        + " does not allow others to see its presence");
            }
            Boolean[] f = flags.get();
            return Optional.of(new EventFilter.ExtensionPresence(account, target.id(), f[0], f[0] && f[1]));
        }
        if (REMINDER.matcher(path).matches() && params.keySet().equals(Set.of("threshold", "interval"))) {
            Optional<Long> threshold = seconds(params.get("threshold"));
            Optional<Long> interval = seconds(params.get("interval"));
            if (threshold.isPresent() && interval.isPresent()) {
                return Optional.of(new EventFilter.ExpiryReminder(threshold.get(), interval.get()));
            }
        }
        return Optional.empty();
    }

    private static long account(Caller owner, String raw) {
        if (raw.equals("~") || Long.parseLong(raw) == owner.accountId()) {
            return owner.accountId();
        }
        throw otherAccount();
    }

    private static ApiException otherAccount() {
        return ApiException.of(403, "SUB-406", "Not allowed subscribe for events to extensions of other account");
    }

    /** {@code [detailedTelephonyState, sipData]}, or empty when another parameter or value appears. */
    private static Optional<Boolean[]> flags(Map<String, String> params) {
        Boolean[] flags = {false, false};
        for (Map.Entry<String, String> p : params.entrySet()) {
            int index = switch (p.getKey()) {
                case "detailedTelephonyState" -> 0;
                case "sipData" -> 1;
                default -> -1;
            };
            String value = p.getValue().toLowerCase(Locale.ROOT);
            if (index < 0 || !(value.equals("true") || value.equals("false"))) {
                return Optional.empty();
            }
            flags[index] = value.equals("true");
        }
        return Optional.of(flags);
    }

    private static Optional<Long> seconds(String raw) {
        try {
            long value = Long.parseLong(raw);
            return value > 0 && value <= MAX_REMINDER_SECONDS ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Map<String, String>> query(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return Optional.of(params);
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || params.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
