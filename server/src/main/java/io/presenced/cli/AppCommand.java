package io.presenced.cli;

import io.presenced.admin.Admin;
import io.presenced.auth.Permission;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code presenced app create}. */
@Command(name = "app", description = "Manage client apps.", subcommands = AppCommand.Create.class)
final class AppCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an app; its secret is shown once.")
    static final class Create implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--name", required = true, description = "App name.")
        String name;

        @Option(names = "--permissions", description = "Space- or comma-separated permissions (default: all of "
                + "ReadAccounts ReadPresence EditPresence WebSocketsSubscription IngestPresenceSources EditExtensions).")
        String permissions;

        @Override
        public void run() {
            Set<Permission> granted = permissions == null ? EnumSet.allOf(Permission.class)
                    : Permission.parseList(permissions);
            Admin.CreatedApp app = store.withAdmin(admin -> admin.createApp(name, granted));
            Output.print(store.json, app, "created app " + app.clientId() + " with secret " + app.clientSecret()
                    + " and permissions " + Permission.format(app.permissions()));
        }
    }
}
