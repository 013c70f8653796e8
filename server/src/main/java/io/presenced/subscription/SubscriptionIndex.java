package io.presenced.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live subscription in memory, indexed by the account of its account filters and the extension of
 * its extension filters, so that finding the subscriptions of an event costs only what matches it.
 * Writers are synchronised; readers see immutable sets.
 */
public final class SubscriptionIndex {
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> byAccount = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> byExtension = new ConcurrentHashMap<>();

    /** Adds or replaces a subscription. */
    public synchronized void put(Subscription s) {
        remove(s.id());
        byId.put(s.id(), s);
        for (EventFilter f : s.filters()) {
            switch (f) {
                case EventFilter.AccountPresence a -> add(byAccount, a.accountId(), s.id());
                case EventFilter.ExtensionPresence e -> add(byExtension, e.extensionId(), s.id());
                case EventFilter.ExpiryReminder r -> { }
            }
        }
    }

    /** Removes a subscription; the removed one, if there was one. */
    public synchronized Optional<Subscription> remove(String id) {
        Subscription old = byId.remove(id);
        if (old != null) {
            for (EventFilter f : old.filters()) {
                switch (f) {
                    case EventFilter.AccountPresence a -> drop(byAccount, a.accountId(), id);
                    case EventFilter.ExtensionPresence e -> drop(byExtension, e.extensionId(), id);
                    case EventFilter.ExpiryReminder r -> { }
                }
            }
        }
        return Optional.ofNullable(old);
    }

    private static void add(Map<Long, Set<String>> index, long key, String id) {
        Set<String> ids = new java.util.HashSet<>(index.getOrDefault(key, Set.of()));
        ids.add(id);
        index.put(key, Set.copyOf(ids));
    }

    private static void drop(Map<Long, Set<String>> index, long key, String id) {
        Set<String> ids = new java.util.HashSet<>(index.getOrDefault(key, Set.of()));
        ids.remove(id);
        if (ids.isEmpty()) {
            index.remove(key);
        } else {
            index.put(key, Set.copyOf(ids));
        }
    }

    public Optional<Subscription> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every subscription. */
    public List<Subscription> all() {
        return List.copyOf(byId.values());
    }

    /** The subscriptions with a filter for this account's presence or this extension's. */
    public List<Subscription> matching(long accountId, long extensionId) {
        Set<String> account = byAccount.getOrDefault(accountId, Set.of());
        Set<String> extension = byExtension.getOrDefault(extensionId, Set.of());
        if (account.isEmpty() && extension.isEmpty()) {
            return List.of();
        }
        List<Subscription> result = new ArrayList<>(account.size() + extension.size());
        for (String id : account) {
            Subscription s = byId.get(id);
            if (s != null) {
                result.add(s);
            }
        }
        for (String id : extension) {
            Subscription s = byId.get(id);
            if (s != null && !account.contains(id)) {
                result.add(s);
            }
        }
        return result;
    }
}
