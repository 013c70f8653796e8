package io.presenced.cli;

import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code presenced extension create}. */
@Command(name = "extension", description = "Manage extensions.", subcommands = ExtensionCommand.Create.class)
final class ExtensionCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an extension.")
    static final class Create implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--account", required = true, description = "Account id.")
        long account;

        @Option(names = "--number", required = true, description = "Extension number, e.g. 101.")
        String number;

        @Option(names = "--name", required = true, description = "Display name.")
        String name;

        @Option(names = "--email", description = "Email address (a login name for the password grant).")
        String email = "";

        @Option(names = "--type", description = "One of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        ExtensionType type = ExtensionType.User;

        @Option(names = "--role", description = "Admin or User (default ${DEFAULT-VALUE}).")
        Role role = Role.User;

        @Option(names = "--status", description = "Enabled or Disabled (default ${DEFAULT-VALUE}).")
        ExtensionStatus status = ExtensionStatus.Enabled;

        @Option(names = "--department", description = "Id of a Department extension it belongs to (repeatable).")
        List<Long> departments = new ArrayList<>();

        @Override
        public void run() {
            Extension e = store.withAdmin(admin -> admin.createExtension(new ExtensionSpec(account, number, name,
                    email, type, status, role, departments)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", String.valueOf(e.id()));
            out.put("accountId", String.valueOf(e.accountId()));
            out.put("extensionNumber", e.extensionNumber());
            out.put("name", e.name());
            out.put("type", e.type());
            out.put("role", e.role());
            Output.print(store.json, out, "created extension " + e.id() + " (" + e.extensionNumber() + ")");
        }
    }
}
