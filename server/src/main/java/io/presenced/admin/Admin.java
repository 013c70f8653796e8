package io.presenced.admin;

import io.presenced.ApiException;
import io.presenced.auth.App;
import io.presenced.auth.JwtCredentials;
import io.presenced.auth.Permission;
import io.presenced.auth.Secrets;
import io.presenced.directory.Account;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionType;
import io.presenced.store.Store;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The administrative operations, over the store; what they write reaches a running server at its next directory refresh. */
public final class Admin {
    /** An app just created; its secret is shown only here. */
    public record CreatedApp(String clientId, String clientSecret, String name, Set<Permission> permissions) {
    }

    /** The shortest password accepted. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    private final Store store;
    private final Directory directory;
    private final JwtCredentials credentials;

    public Admin(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.directory = Directory.load(store);
        this.credentials = new JwtCredentials(store, clock);
    }

    /** The directory as this admin sees it. */
    public Directory directory() {
        return directory;
    }

    public Account createAccount(String name, String mainNumber) {
        return store.createAccount(name, mainNumber);
    }

    /** Creates extensions in one transaction, refusing unknown accounts and duplicate extension numbers. */
    public List<Extension> createExtensions(List<ExtensionSpec> specs) {
        directory.refresh();
        Map<Long, Set<String>> numbers = new HashMap<>();
        for (ExtensionSpec spec : specs) {
            if (directory.account(spec.accountId()).isEmpty()) {
                throw ApiException.of(404, "CMN-102", "Resource for parameter [accountId] is not found: "
                        + spec.accountId());
            }
            Set<String> used = numbers.computeIfAbsent(spec.accountId(), id -> directory.extensionsOf(id).stream()
                    .map(Extension::extensionNumber).collect(Collectors.toCollection(HashSet::new)));
            if (!used.add(spec.extensionNumber())) {
                throw ApiException.of(409, "CMN-109", "Extension number " + spec.extensionNumber()
                        + " is already used in account " + spec.accountId());
            }
        }
        List<Extension> created = store.createExtensions(specs);
        directory.refresh();
        return created;
    }

    public Extension createExtension(ExtensionSpec spec) {
        return createExtensions(List.of(spec)).getFirst();
    }

    /** Creates an app with the given permissions and a random secret. */
    public CreatedApp createApp(String name, Set<Permission> permissions) {
        String clientId = Secrets.random(16);
        String secret = Secrets.random(32);
        store.createApp(new App(clientId, name, Secrets.sha256(secret), permissions));
        return new CreatedApp(clientId, secret, name, Set.copyOf(permissions));
    }

    /** Issues a JWT credential to a User extension. */
    public JwtCredentials.Issued issueJwt(long extensionId, String issuer) {
        return credentials.issue(user(extensionId), issuer);
    }

    public boolean revokeJwt(String credentialId) {
        return credentials.revoke(credentialId);
    }

    /** Sets the password of a User extension (stored as a salted hash). */
    public void setPassword(long extensionId, String password) {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.invalidParameter("password", "(hidden: shorter than 8 characters)");
        }
        store.setPasswordHash(user(extensionId).id(), Secrets.hashPassword(password));
    }

    private Extension user(long extensionId) {
        Extension e = directory.extension(extensionId).orElseThrow(() -> ApiException.of(404, "CMN-102",
                "Resource for parameter [extensionId] is not found: " + extensionId));
        if (e.type() != ExtensionType.User) {
            throw ApiException.of(400, "CMN-101", "Extension " + extensionId + " is a " + e.type()
                    + "; only User extensions log in");
        }
        return e;
    }

    /** Makes the given extensions members of a Department extension. */
    public void updateDepartments(List<Extension> members, long departmentId) {
        for (Extension e : members) {
            List<Long> departments = new java.util.ArrayList<>(e.departments());
            if (!departments.contains(departmentId)) {
                departments.add(departmentId);
            }
            store.updateExtension(new Extension(e.id(), e.accountId(), e.extensionNumber(), e.name(), e.email(),
                    e.type(), e.status(), e.role(), departments));
        }
        directory.refresh();
    }
}
