package io.presenced.store;

import io.presenced.directory.Account;
import io.presenced.directory.DirectoryChanges;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The SQL of accounts and extensions. */
final class DirectorySql {
    private static final String EXTENSION_COLUMNS =
            "id, account_id, extension_number, name, email, type, status, role, departments";

    private final Database db;

    DirectorySql(Database db) {
        this.db = db;
    }

    Account createAccount(String name, String mainNumber) {
        return db.write(c -> {
            long id = Counters.next(c, Counters.ID);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO accounts (id, name, main_number, revision) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, name);
                ps.setString(3, mainNumber);
                ps.setLong(4, Counters.next(c, Counters.DIRECTORY_REVISION));
                ps.executeUpdate();
            }
            return new Account(id, name, mainNumber);
        });
    }

    List<Extension> createExtensions(List<ExtensionSpec> specs) {
        return db.write(c -> {
            List<Extension> created = new ArrayList<>(specs.size());
            long revision = Counters.next(c, Counters.DIRECTORY_REVISION);
            long nextId = Counters.reserve(c, Counters.ID, specs.size()) - specs.size() + 1;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO extensions (" + EXTENSION_COLUMNS
                    + ", revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (ExtensionSpec spec : specs) {
                    Extension extension = spec.withId(nextId++);
                    bindExtension(ps, extension);
                    ps.setLong(10, revision);
                    ps.addBatch();
                    created.add(extension);
                }
                ps.executeBatch();
            }
            return created;
        });
    }

    Extension updateExtension(Extension extension) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE extensions SET id = ?, account_id = ?,"
                    + " extension_number = ?, name = ?, email = ?, type = ?, status = ?, role = ?, departments = ?,"
                    + " revision = ? WHERE id = ? AND account_id = ?")) {
                bindExtension(ps, extension);
                ps.setLong(10, Counters.next(c, Counters.DIRECTORY_REVISION));
                ps.setLong(11, extension.id());
                ps.setLong(12, extension.accountId());
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("no extension " + extension.id() + " in account " + extension.accountId());
                }
            }
            return extension;
        });
    }

    private static void bindExtension(PreparedStatement ps, Extension e) throws SQLException {
        ps.setLong(1, e.id());
        ps.setLong(2, e.accountId());
        ps.setString(3, e.extensionNumber());
        ps.setString(4, e.name());
        ps.setString(5, e.email());
        ps.setString(6, e.type().name());
        ps.setString(7, e.status().name());
        ps.setString(8, e.role().name());
        ps.setString(9, e.departments().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    long revision() {
        return db.read(c -> Counters.current(c, Counters.DIRECTORY_REVISION));
    }

    DirectoryChanges changesSince(long revision) {
        return db.read(c -> {
            // One read transaction, so that the revision matches the rows read with it.
            c.setAutoCommit(false);
            try {
                long now = Counters.current(c, Counters.DIRECTORY_REVISION);
                List<Account> accounts = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, name, main_number FROM accounts WHERE revision > ? ORDER BY id")) {
                    ps.setLong(1, revision);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            accounts.add(new Account(rs.getLong(1), rs.getString(2), rs.getString(3)));
                        }
                    }
                }
                List<Extension> extensions = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + EXTENSION_COLUMNS + " FROM extensions WHERE revision > ? ORDER BY id")) {
                    ps.setLong(1, revision);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            extensions.add(extension(rs));
                        }
                    }
                }
                return new DirectoryChanges(now, accounts, extensions);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
    }

    private static Extension extension(ResultSet rs) throws SQLException {
        String departments = rs.getString(9);
        List<Long> ids = departments.isEmpty() ? List.of()
                : Arrays.stream(departments.split(",")).map(Long::valueOf).toList();
        return new Extension(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ExtensionType.valueOf(rs.getString(6)), ExtensionStatus.valueOf(rs.getString(7)),
                Role.valueOf(rs.getString(8)), ids);
    }

    void setPasswordHash(long extensionId, String hash) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE extensions SET password_hash = ? WHERE id = ?")) {
                ps.setString(1, hash);
                ps.setLong(2, extensionId);
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("no extension " + extensionId);
                }
            }
            return null;
        });
    }

    Optional<String> passwordHash(long extensionId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM extensions WHERE id = ?")) {
                ps.setLong(1, extensionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }
}
