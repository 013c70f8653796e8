package io.presenced.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code presenced} command. */
@Command(name = "presenced", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Presenced: a self-hostable presence platform speaking the RingCentral API.",
        subcommands = {ServeCommand.class, AccountCommand.class, ExtensionCommand.class, AppCommand.class,
            JwtCommand.class, PasswordCommand.class, ImportCommand.class, SimulateCommand.class})
public final class Main {
    /** The version printed by {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"presenced " + version()};
        }
    }

    /** This build's version. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private Main() {
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !ServeCommand.RUNNING.get()) {
            System.exit(code);
        }
    }

    /** The command line, with Presenced's error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("presenced: " + e.getMessage());
            return e instanceof io.presenced.ApiException ? 2 : 1;
        });
        return cl;
    }
}
