package io.presenced.bench.jmh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code jmh [JMH options] [benchmark regex]}: the microbenchmarks of the hot paths, through JMH's own command
 * line, with short defaults (one fork, 2 warm-up and 3 measured iterations of 1 s) that any option given replaces.
 */
@Command(name = "jmh", description = "JMH microbenchmarks of the hot paths (aggregation, matching, serialisation,"
        + " store commit); takes any JMH option, e.g. 'jmh Matching -p accountSubscriptions=100', or '-h'.")
public final class JmhCommand implements Callable<Integer> {
    private static final Map<String, String> DEFAULTS = defaults();

    @Unmatched
    List<String> args = new ArrayList<>();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("-f", "1");
        d.put("-wi", "2");
        d.put("-w", "1s");
        d.put("-i", "3");
        d.put("-r", "1s");
        return d;
    }

    @Override
    public Integer call() throws Exception {
        List<String> full = new ArrayList<>();
        DEFAULTS.forEach((flag, value) -> {
            if (!args.contains(flag)) {
                full.add(flag);
                full.add(value);
            }
        });
        full.addAll(args);
        org.openjdk.jmh.Main.main(full.toArray(String[]::new));
        return 0;
    }
}
