package io.presenced.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.presenced.ApiException;
import io.presenced.directory.Account;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Imports a directory file (YAML or JSON): accounts, each with listed extensions and optionally a
 * block of generated ones (for simulations). An account with an {@code id} is added to, one without
 * is created; extensions whose number already exists in the account are left as they are.
 * Departments are named by extension number within the account.
 */
public final class DirectoryImport {
    /** The file's shape. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record File(List<AccountEntry> accounts) {
    }

    /** One account of the file. */
    public record AccountEntry(Long id, String name, String mainNumber, List<ExtensionEntry> extensions,
                               Generate generate) {
    }

    /** One extension of the file. */
    public record ExtensionEntry(String extensionNumber, String name, String email, ExtensionType type,
                                 Role role, ExtensionStatus status, String password, List<String> departments) {
    }

    /** A block of {@code count} generated User extensions numbered from {@code startNumber}. */
    public record Generate(int count, int startNumber, String emailDomain) {
    }

    /** What an import did. */
    public record Result(List<Long> accountIds, int extensionsCreated, int extensionsSkipped, int passwordsSet) {
    }

    private final Admin admin;

    public DirectoryImport(Admin admin) {
        this.admin = admin;
    }

    /** Reads a file by its extension: {@code .yaml}/{@code .yml} as YAML, anything else as JSON. */
    public static File read(Path path) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
                ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            File file = mapper.readValue(path.toFile(), File.class);
            if (file.accounts() == null) {
                throw ApiException.of(400, "CMN-101", path + " has no 'accounts' list");
            }
            return file;
        } catch (IOException e) {
            throw ApiException.of(400, "CMN-103", "cannot read directory file " + path + ": " + e.getMessage());
        }
    }

    /**
     * Applies a file. Everything that can be refused (missing names, unknown accounts, departments that
     * are not Department extensions, short passwords) is checked before anything is written.
     */
    public Result apply(File file) {
        file.accounts().forEach(this::check);
        List<Long> accountIds = new ArrayList<>();
        int created = 0;
        int skipped = 0;
        int passwords = 0;
        for (AccountEntry entry : file.accounts()) {
            Account account = entry.id() != null
                    ? admin.directory().account(entry.id()).orElseThrow(() -> ApiException.of(404, "CMN-102",
                            "Resource for parameter [accountId] is not found: " + entry.id()))
                    : admin.createAccount(require(entry.name(), "account name"),
                            require(entry.mainNumber(), "account mainNumber"));
            accountIds.add(account.id());
            Map<String, Extension> byNumber = new HashMap<>();
            admin.directory().extensionsOf(account.id()).forEach(e -> byNumber.put(e.extensionNumber(), e));
            List<ExtensionEntry> wanted = new ArrayList<>(Optional.ofNullable(entry.extensions()).orElse(List.of()));
            Generate generate = entry.generate();
            if (generate != null) {
                String domain = Optional.ofNullable(generate.emailDomain()).orElse("");
                for (int i = 0; i < generate.count(); i++) {
                    String number = String.valueOf(generate.startNumber() + i);
                    wanted.add(new ExtensionEntry(number, "User " + number,
                            domain.isEmpty() ? "" : "user" + number + "@" + domain, ExtensionType.User, Role.User,
                            ExtensionStatus.Enabled, null, List.of()));
                }
            }
            List<ExtensionSpec> specs = new ArrayList<>();
            List<ExtensionEntry> fresh = new ArrayList<>();
            java.util.Set<String> freshNumbers = new java.util.HashSet<>();
            for (ExtensionEntry e : wanted) {
                String number = require(e.extensionNumber(), "extensionNumber");
                if (byNumber.containsKey(number) || !freshNumbers.add(number)) {
                    skipped++;
                    continue;
                }
                fresh.add(e);
                specs.add(new ExtensionSpec(account.id(), number, Optional.ofNullable(e.name()).orElse("Extension " + number),
                        Optional.ofNullable(e.email()).orElse(""), Optional.ofNullable(e.type()).orElse(ExtensionType.User),
                        Optional.ofNullable(e.status()).orElse(ExtensionStatus.Enabled),
                        Optional.ofNullable(e.role()).orElse(Role.User), List.of()));
            }
            admin.createExtensions(specs).forEach(x -> byNumber.put(x.extensionNumber(), x));
            created += specs.size();
            passwords += finish(fresh, byNumber);
        }
        return new Result(accountIds, created, skipped, passwords);
    }

    private void check(AccountEntry entry) {
        Map<String, ExtensionType> types = new HashMap<>();
        if (entry.id() != null) {
            admin.directory().account(entry.id()).orElseThrow(() -> ApiException.of(404, "CMN-102",
                    "Resource for parameter [accountId] is not found: " + entry.id()));
            admin.directory().extensionsOf(entry.id()).forEach(e -> types.put(e.extensionNumber(), e.type()));
        } else {
            require(entry.name(), "account name");
            require(entry.mainNumber(), "account mainNumber");
        }
        List<ExtensionEntry> listed = Optional.ofNullable(entry.extensions()).orElse(List.of());
        for (ExtensionEntry e : listed) {
            types.putIfAbsent(require(e.extensionNumber(), "extensionNumber"),
                    Optional.ofNullable(e.type()).orElse(ExtensionType.User));
        }
        for (ExtensionEntry e : listed) {
            for (String department : Optional.ofNullable(e.departments()).orElse(List.of())) {
                if (types.get(department) != ExtensionType.Department) {
                    throw ApiException.of(400, "CMN-101", "extension " + e.extensionNumber() + " names department "
                            + department + ", which is not a Department extension of the account");
                }
            }
            if (e.password() != null && e.password().length() < Admin.MIN_PASSWORD_LENGTH) {
                throw ApiException.of(400, "CMN-101", "the password of extension " + e.extensionNumber()
                        + " is shorter than " + Admin.MIN_PASSWORD_LENGTH + " characters");
            }
        }
    }

    private int finish(List<ExtensionEntry> fresh, Map<String, Extension> byNumber) {
        int passwords = 0;
        for (ExtensionEntry e : fresh) {
            Extension extension = byNumber.get(e.extensionNumber());
            if (e.departments() != null && !e.departments().isEmpty()) {
                for (String department : e.departments()) {
                    Extension d = Optional.ofNullable(byNumber.get(department))
                            .filter(x -> x.type() == ExtensionType.Department)
                            .orElseThrow(() -> ApiException.of(400, "CMN-101", "extension " + e.extensionNumber()
                                    + " names department " + department + ", which is not a Department extension"));
                    admin.updateDepartments(List.of(admin.directory().extension(extension.id()).orElseThrow()), d.id());
                }
            }
            if (e.password() != null) {
                admin.setPassword(extension.id(), e.password());
                passwords++;
            }
        }
        return passwords;
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw ApiException.of(400, "CMN-101", "the directory file lacks " + what);
        }
        return value;
    }
}
