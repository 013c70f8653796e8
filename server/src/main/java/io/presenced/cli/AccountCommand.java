package io.presenced.cli;

import io.presenced.directory.Account;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code presenced account create}. */
@Command(name = "account", description = "Manage accounts.", subcommands = AccountCommand.Create.class)
final class AccountCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an account.")
    static final class Create implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--name", required = true, description = "Account name.")
        String name;

        @Option(names = "--main-number", required = true, description = "Main phone number, e.g. +15551230000.")
        String mainNumber;

        @Override
        public void run() {
            Account account = store.withAdmin(admin -> admin.createAccount(name, mainNumber));
            Output.print(store.json, Map.of("id", String.valueOf(account.id()), "name", account.name(),
                    "mainNumber", account.mainNumber()), "created account " + account.id());
        }
    }
}
