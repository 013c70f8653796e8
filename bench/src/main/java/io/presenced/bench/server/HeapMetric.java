package io.presenced.bench.server;

/** Reads the heap in use from Prometheus text: the sum of {@code jvm_memory_used_bytes{area="heap",…}}. */
public final class HeapMetric {
    private HeapMetric() {
    }

    /** The heap in use, in bytes, that {@code metrics} reports. */
    public static long used(String metrics) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }
}
