package io.presenced.bench.report;

import io.presenced.bench.Bench;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.OptionalDouble;
import picocli.CommandLine.Option;

/** The reporting options every scenario takes: JSON lines and the limit reference its ratio is computed against. */
public final class ReportOptions {
    @Option(names = "--json", description = "Also print each row as a JSON line.")
    boolean json;

    @Option(names = "--limit-rate", description = "The limit figure to compare the headline figure with, in the "
            + "row's own unit (overrides the limit file; 0 for none, the default).")
    double limitRate;

    @Option(names = "--limit-file", description = "Figures written by the limit scenario (default: limit.json next"
            + " to the benchmark jar).")
    Path limitFile;

    /** A table on {@code out} in the format these options ask for. */
    public Table table(PrintStream out) {
        return new Table(out, json);
    }

    /** The limit figures file. */
    public LimitFile limits() {
        return LimitFile.read(limitFile != null ? limitFile : Bench.home().resolve("limit.json"));
    }

    /**
     * {@code figure} over the limit reference: {@code --limit-rate} if given, else the named probe of the limit file
     * scaled by {@code scale} (for instance the items per ingest request), else empty.
     */
    public OptionalDouble ratio(double figure, String probe, double scale) {
        if (limitRate > 0) {
            return OptionalDouble.of(figure / limitRate);
        }
        OptionalDouble limit = limits().probe(probe);
        return limit.isPresent() && limit.getAsDouble() > 0
                ? OptionalDouble.of(figure / (limit.getAsDouble() * scale)) : OptionalDouble.empty();
    }
}
