package io.presenced.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Prints rows as one fixed-width table (header once, then one line a row), and optionally as JSON lines. */
public final class Table {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "%-28s %-9s %9s %10s %10s %8s %8s %8s %9s %6s %8s %8s %7s %8s  %s%n";

    private final PrintStream out;
    private final boolean json;
    private boolean headed;

    public Table(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Prints the header before the first row, then the row (and its JSON line when asked for). */
    public synchronized void print(Row row) {
        if (!headed) {
            out.printf(Locale.ROOT, FORMAT, "scenario", "unit", "offered", "achieved", "notif/s", "p50ms", "p95ms",
                    "p99ms", "maxms", "early", "cpu-s", "heapMB", "errors", "x-limit", "detail");
            headed = true;
        }
        out.printf(Locale.ROOT, FORMAT, row.scenario(), row.unit(), rate(row.offeredRate()),
                number(row.achievedRate(), 0), number(row.notifiedRate(), 0),
                row.latency().map(l -> number(l.p50(), 2)).orElse("-"),
                row.latency().map(l -> number(l.p95(), 2)).orElse("-"),
                row.latency().map(l -> number(l.p99(), 2)).orElse("-"),
                row.latency().map(l -> number(l.max(), 1)).orElse("-"),
                row.early(), number(row.cpuSeconds(), 1), number(row.peakHeapMb(), 1), row.errors(),
                row.limitRatio().isPresent() ? number(row.limitRatio().getAsDouble(), 3) : "-", row.detail());
        if (json) {
            out.println(json(row));
        }
        out.flush();
    }

    /** Prints every row. */
    public void printAll(List<Row> rows) {
        rows.forEach(this::print);
    }

    /** One row as a compact JSON object. */
    public static String json(Row row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("scenario", row.scenario());
        node.put("unit", row.unit());
        row.offeredRate().ifPresent(r -> node.put("offeredRate", r));
        node.put("achievedRate", row.achievedRate());
        node.put("notifiedRate", row.notifiedRate());
        row.latency().ifPresent(l -> node.putObject("latencyMs").put("p50", l.p50()).put("p95", l.p95())
                .put("p99", l.p99()).put("max", l.max()).put("count", l.count()));
        node.put("early", row.early());
        node.put("cpuSeconds", row.cpuSeconds());
        node.put("peakHeapMb", row.peakHeapMb());
        node.put("errors", row.errors());
        row.limitRatio().ifPresent(r -> node.put("limitRatio", r));
        node.put("detail", row.detail());
        return node.toString();
    }

    private static String rate(OptionalDouble rate) {
        return rate.isPresent() ? number(rate.getAsDouble(), 0) : "-";
    }

    private static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
