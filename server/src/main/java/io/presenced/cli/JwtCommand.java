package io.presenced.cli;

import io.presenced.auth.JwtCredentials;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code presenced jwt issue|revoke}. */
@Command(name = "jwt", description = "Issue and revoke JWT credentials.",
        subcommands = {JwtCommand.Issue.class, JwtCommand.Revoke.class})
final class JwtCommand {
    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue a JWT credential to a user.")
    static final class Issue implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--extension", required = true, description = "User extension id.")
        long extension;

        @Override
        public void run() {
            JwtCredentials.Issued issued = store.withAdmin(admin -> admin.issueJwt(extension, "presenced"));
            Output.print(store.json, Map.of("id", issued.id(), "extensionId", String.valueOf(extension),
                    "jwt", issued.jwt()), issued.jwt());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a JWT credential by its id.")
    static final class Revoke implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--id", required = true, description = "Credential id (the JWT's jti).")
        String id;

        @Override
        public void run() {
            boolean revoked = store.withAdmin(admin -> admin.revokeJwt(id));
            if (!revoked) {
                throw io.presenced.ApiException.of(404, "CMN-102", "no JWT credential with id " + id);
            }
            Output.print(store.json, Map.of("id", id, "revoked", true), "revoked " + id);
        }
    }
}
