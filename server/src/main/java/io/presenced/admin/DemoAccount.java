package io.presenced.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.presenced.PresencedException;
import io.presenced.auth.Permission;
import io.presenced.auth.Secrets;
import io.presenced.directory.Account;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo account a server creates on its first start: an Admin and ten Users, a Department, a
 * ParkLocation, an app holding every permission, and their credentials, written to
 * {@code demo-credentials.json} (mode 600) for the README's quick start and the tests.
 */
public final class DemoAccount {
    /** The name of the credentials file in the data directory. */
    public static final String FILE = "demo-credentials.json";

    /** A demo user's credentials. */
    public record User(String extensionId, String extensionNumber, String jwt, String password) {
    }

    /** Everything a client needs to use the demo account. */
    public record Credentials(String server, String clientId, String clientSecret, String accountId, User admin,
                              List<User> users) {
        /** These credentials for a server at {@code url}. */
        public Credentials at(String url) {
            return new Credentials(url, clientId, clientSecret, accountId, admin, users);
        }
    }

    private static final String[] NAMES = {"Alice Admin", "Bob Baker", "Carol Chen", "Dan Diaz", "Erin Evans",
        "Frank Fox", "Grace Gill", "Heidi Hart", "Ivan Ito", "Judy Jones", "Ken King"};

    private DemoAccount() {
    }

    /** The demo account's name; it is how a later start finds the account again. */
    public static final String ACCOUNT_NAME = "Presenced Demo";
    private static final String MAIN_NUMBER = "+15550100000";

    /**
     * Creates the demo account through {@code admin}, or completes one that an interrupted start left
     * without its credentials file: whatever of it is missing is created, and its users get new passwords and
     * JWT credentials and a new app is made, since only hashes of the old ones are stored.
     */
    public static Credentials ensure(Admin admin) {
        Account account = admin.directory().accounts().stream().filter(a -> a.name().equals(ACCOUNT_NAME))
                .findFirst().orElseGet(() -> admin.createAccount(ACCOUNT_NAME, MAIN_NUMBER));
        List<ExtensionSpec> specs = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            String first = NAMES[i].split(" ")[0].toLowerCase(Locale.ROOT);
            specs.add(new ExtensionSpec(account.id(), String.valueOf(101 + i), NAMES[i], first + "@demo.presenced.test",
                    ExtensionType.User, ExtensionStatus.Enabled, i == 0 ? Role.Admin : Role.User, List.of()));
        }
        specs.add(new ExtensionSpec(account.id(), "200", "Support", "", ExtensionType.Department,
                ExtensionStatus.Enabled, Role.User, List.of()));
        specs.add(new ExtensionSpec(account.id(), "801", "Park Location 1", "", ExtensionType.ParkLocation,
                ExtensionStatus.Enabled, Role.User, List.of()));
        admin.directory().refresh();
        List<ExtensionSpec> missing = specs.stream().filter(spec -> number(admin, account, spec.extensionNumber())
                .isEmpty()).toList();
        if (!missing.isEmpty()) {
            admin.createExtensions(missing);
        }
        List<Extension> people = specs.subList(0, NAMES.length).stream()
                .map(spec -> number(admin, account, spec.extensionNumber()).orElseThrow()).toList();
        Extension support = number(admin, account, "200").orElseThrow();
        // Bob, Carol and Dan answer the Support department's calls.
        admin.updateDepartments(people.subList(1, 4), support.id());
        Admin.CreatedApp app = admin.createApp("Presenced Demo App", EnumSet.allOf(Permission.class));
        List<User> users = people.parallelStream().map(e -> {
            String password = Secrets.random(12);
            admin.setPassword(e.id(), password);
            return new User(String.valueOf(e.id()), e.extensionNumber(), admin.issueJwt(e.id(), "presenced").jwt(),
                    password);
        }).toList();
        return new Credentials(null, app.clientId(), app.clientSecret(), String.valueOf(account.id()),
                users.getFirst(), users.subList(1, users.size()));
    }

    private static Optional<Extension> number(Admin admin, Account account, String extensionNumber) {
        return admin.directory().extensionsOf(account.id()).stream()
                .filter(e -> e.extensionNumber().equals(extensionNumber)).findFirst();
    }

    /** Writes the credentials file readable by its owner only, replacing it atomically. */
    public static Path write(Path dataDir, Credentials credentials) {
        Path file = dataDir.resolve(FILE);
        try {
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), credentials);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new PresencedException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
