package io.presenced.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Runs a {@code presenced} admin command in this JVM against a data directory, as an operator would run
 * it next to a running server, and captures what it prints.
 */
public final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** What a command did: its exit code, its standard output and its error output. */
    public record Run(String[] args, int code, String out, String err) {
        /** The last JSON line the command printed, after checking that it succeeded. */
        public JsonNode json() {
            assertThat(code).as("exit code of %s; stderr: %s", Arrays.toString(args), err).isZero();
            String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no JSON printed by " + Arrays.toString(args) + ": " + out));
            try {
                return JSON.readTree(last);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs {@code presenced <args> --data <dataDir> --json}. */
    public static Run run(Path dataDir, String... args) {
        String[] full = Stream.concat(Arrays.stream(args), Stream.of("--data", dataDir.toString(), "--json"))
                .toArray(String[]::new);
        return runRaw(full);
    }

    /** Runs {@code presenced <args>} exactly as given. */
    public static Run runRaw(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        StringWriter picocliOut = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(picocliOut, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        // The commands print their results to System.out, not to the CommandLine's writer.
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(args);
        } finally {
            System.setOut(original);
        }
        return new Run(args, code, out.toString(StandardCharsets.UTF_8) + picocliOut, err.toString());
    }
}
