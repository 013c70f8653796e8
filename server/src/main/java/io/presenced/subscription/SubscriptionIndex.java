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

    /**
     * Adds or replaces a subscription. A reader never misses it meanwhile: the new entry and its keys are
     * in place before keys it no longer has are dropped.
     */
    public synchronized void put(Subscription s) {
        Subscription old = byId.put(s.id(), s);
        s.filters().forEach(f -> key(f, (index, key) -> add(index, key, s.id())));
        if (old != null) {
            old.filters().stream().filter(f -> !keys(s).contains(keyOf(f)))
                    .forEach(f -> key(f, (index, key) -> drop(index, key, s.id())));
        }
    }

    private void key(EventFilter f, java.util.function.BiConsumer<Map<Long, Set<String>>, Long> action) {
        switch (f) {
            case EventFilter.AccountPresence a -> action.accept(byAccount, a.accountId());
            case EventFilter.ExtensionPresence e -> action.accept(byExtension, e.extensionId());
            case EventFilter.ExpiryReminder r -> { }
        }
    }

    private static String keyOf(EventFilter f) {
        return switch (f) {
            case EventFilter.AccountPresence a -> "a" + a.accountId();
            case EventFilter.ExtensionPresence e -> "e" + e.extensionId();
            case EventFilter.ExpiryReminder r -> "r";
        };
    }

    private static Set<String> keys(Subscription s) {
        return s.filters().stream().map(SubscriptionIndex::keyOf).collect(java.util.stream.Collectors.toSet());
    }

    /** Removes a subscription; the removed one, if there was one. */
    public synchronized Optional<Subscription> remove(String id) {
        Subscription old = byId.remove(id);
        if (old != null) {
            old.filters().forEach(f -> key(f, (index, key) -> drop(index, key, id)));
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
