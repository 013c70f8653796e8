package io.presenced.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code presenced password set}. */
@Command(name = "password", description = "Set user passwords.", subcommands = PasswordCommand.Set.class)
final class PasswordCommand {
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set a user's password (read from standard input unless --password is given).")
    static final class Set implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--extension", required = true, description = "User extension id.")
        long extension;

        @Option(names = "--password", description = "The password (prefer standard input: it stays out of ps).")
        String password;

        @Override
        public void run() {
            String value = password != null ? password : readLine();
            store.withAdmin(admin -> {
                admin.setPassword(extension, value);
                return null;
            });
            Output.print(store.json, Map.of("extensionId", String.valueOf(extension), "passwordSet", true),
                    "password set for extension " + extension);
        }

        private static String readLine() {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
