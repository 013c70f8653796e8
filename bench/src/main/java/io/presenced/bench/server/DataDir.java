package io.presenced.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The benchmark's data directories: temporary, deleted after the run unless {@code -Dbench.keepData=true} keeps
 * them (with the server's log) for a look afterwards.
 */
public final class DataDir {
    private DataDir() {
    }

    /** A new temporary data directory. */
    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes {@code dir} and everything in it, unless asked to keep it; failures are only reported. */
    public static void delete(Path dir) {
        if (Boolean.getBoolean("bench.keepData")) {
            System.err.println("kept " + dir);
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
