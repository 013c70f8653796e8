package io.presenced.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.PresencedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The figures of the {@code limit} scenario, by probe name, as {@code limit.json} keeps them:
 * {@code {"measured": …, "probes": {"http-put-c64": 14000.0, "http-ingest-b500-c8": 90.0, "ws-100": 250000.0}}}.
 * A later {@code limit} run replaces the probes it measured and keeps the others.
 */
public final class LimitFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;
    private final Map<String, Double> probes;

    private LimitFile(Path path, Map<String, Double> probes) {
        this.path = path;
        this.probes = probes;
    }

    /** The file at {@code path}, empty if it does not exist yet. */
    public static LimitFile read(Path path) {
        Map<String, Double> probes = new TreeMap<>();
        if (Files.exists(path)) {
            try {
                JsonNode node = JSON.readTree(path.toFile()).path("probes");
                node.properties().forEach(e -> probes.put(e.getKey(), e.getValue().asDouble()));
            } catch (IOException e) {
                throw new PresencedException("cannot read the limit figures in " + path + ": " + e.getMessage(), e);
            }
        }
        return new LimitFile(path, probes);
    }

    /** The rate a probe measured, if it was measured. */
    public OptionalDouble probe(String name) {
        Double value = probes.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Records a probe's figure and writes the file. */
    public synchronized void put(String name, double rate) {
        probes.put(name, rate);
        ObjectNode root = JSON.createObjectNode();
        root.put("measured", Instant.now().toString());
        ObjectNode node = root.putObject("probes");
        probes.forEach(node::put);
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            JSON.writeValue(path.toFile(), root);
        } catch (IOException e) {
            throw new PresencedException("cannot write the limit figures to " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }
}
