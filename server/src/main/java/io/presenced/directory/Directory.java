package io.presenced.directory;

import io.presenced.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory directory, kept in step with the store by reading what changed after the last
 * revision it saw; admin commands of another process therefore show up here at the next refresh.
 * Reads are lock-free on immutable snapshots; {@link #refresh()} is the single writer (synchronised).
 */
public final class Directory {
    private static final Comparator<Extension> BY_ID = Comparator.comparingLong(Extension::id);

    private final Store store;
    private final Map<Long, Account> accounts = new ConcurrentHashMap<>();
    private final Map<Long, Extension> extensions = new ConcurrentHashMap<>();
    private final Map<Long, List<Extension>> byAccount = new ConcurrentHashMap<>();
    private final Map<String, Long> byEmail = new ConcurrentHashMap<>();
    private volatile long revision = -1;

    private Directory(Store store) {
        this.store = store;
    }

    /** A directory loaded in full from {@code store}. */
    public static Directory load(Store store) {
        Directory directory = new Directory(Objects.requireNonNull(store, "store"));
        directory.refresh();
        return directory;
    }

    /** Reads what changed in the store since the last refresh; cheap when nothing did. */
    public synchronized void refresh() {
        if (revision >= 0 && store.directoryRevision() == revision) {
            return;
        }
        DirectoryChanges changes = store.directoryChangesSince(Math.max(revision, 0));
        changes.accounts().forEach(a -> accounts.put(a.id(), a));
        Map<Long, List<Extension>> changedByAccount = new HashMap<>();
        for (Extension e : changes.extensions()) {
            Extension old = extensions.put(e.id(), e);
            if (old != null && !old.email().isEmpty()) {
                byEmail.remove(old.email().toLowerCase(Locale.ROOT));
            }
            if (!e.email().isEmpty()) {
                byEmail.put(e.email().toLowerCase(Locale.ROOT), e.id());
            }
            changedByAccount.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e);
        }
        changedByAccount.forEach((accountId, changed) -> {
            Map<Long, Extension> merged = new HashMap<>();
            byAccount.getOrDefault(accountId, List.of()).forEach(e -> merged.put(e.id(), e));
            changed.forEach(e -> merged.put(e.id(), e));
            List<Extension> sorted = new ArrayList<>(merged.values());
            sorted.sort(BY_ID);
            byAccount.put(accountId, List.copyOf(sorted));
        });
        revision = changes.revision();
    }

    /** The account with this id. */
    public Optional<Account> account(long id) {
        Account account = accounts.get(id);
        if (account == null) {
            refresh();
            account = accounts.get(id);
        }
        return Optional.ofNullable(account);
    }

    /** The extension with this id, in any account. */
    public Optional<Extension> extension(long id) {
        Extension extension = extensions.get(id);
        if (extension == null) {
            refresh();
            extension = extensions.get(id);
        }
        return Optional.ofNullable(extension);
    }

    /** Every extension of an account, by ascending id. */
    public List<Extension> extensionsOf(long accountId) {
        return byAccount.getOrDefault(accountId, List.of());
    }

    /** Every account. */
    public List<Account> accounts() {
        return accounts.values().stream().sorted(Comparator.comparingLong(Account::id)).toList();
    }

    /** The extension with this email address (case-insensitive). */
    public Optional<Extension> extensionByEmail(String email) {
        refresh();
        Long id = byEmail.get(email.toLowerCase(Locale.ROOT));
        return id == null ? Optional.empty() : Optional.ofNullable(extensions.get(id));
    }

    /** The extension with this number in the account whose main number is {@code mainNumber}. */
    public Optional<Extension> extensionByNumber(String mainNumber, String extensionNumber) {
        refresh();
        String wanted = digits(mainNumber);
        return accounts.values().stream()
                .filter(a -> digits(a.mainNumber()).equals(wanted))
                .flatMap(a -> extensionsOf(a.id()).stream())
                .filter(e -> e.extensionNumber().equals(extensionNumber))
                .findFirst();
    }

    private static String digits(String phoneNumber) {
        return phoneNumber.replaceAll("[^0-9]", "");
    }

    /** How many extensions the directory holds. */
    public int size() {
        return extensions.size();
    }
}
