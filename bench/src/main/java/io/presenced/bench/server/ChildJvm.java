package io.presenced.bench.server;

import io.presenced.PresencedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM in a child process on this benchmark's class path, answering {@code GET /health} and {@code GET /metrics}
 * on the loopback address, so that its CPU and heap are measured apart from the load: CPU from {@code /proc},
 * heap from its Prometheus metrics, a full GC on demand through {@code jcmd}.
 */
public final class ChildJvm implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String base;
    private final Path log;
    private final double startupSeconds;

    private ChildJvm(Process process, String base, Path log, double startupSeconds) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.startupSeconds = startupSeconds;
    }

    /**
     * Starts {@code mainClass} with {@code args} and waits until {@code /health} answers 200 on {@code port}.
     *
     * @param options JVM options, such as {@code -Xmx4g}
     * @param log     where the child's output goes
     */
    public static ChildJvm start(List<String> options, String mainClass, List<String> args, int port, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaHome().resolve("bin/java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        long deadline = started + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy(base)) {
                return new ChildJvm(p, base, log, (System.nanoTime() - started) / 1e9);
            }
            if (!p.isAlive()) {
                throw new PresencedException("the child JVM " + mainClass + " exited with " + p.exitValue() + ": "
                        + Files.readString(log));
            }
            Thread.sleep(10);
        }
        p.destroyForcibly();
        throw new PresencedException("the child JVM " + mainClass + " did not answer /health within 300 s; see " + log);
    }

    private static boolean healthy(String base) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The JDK this benchmark runs on; its {@code jcmd} forces a GC in the child. */
    static Path javaHome() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow(() -> new PresencedException(
                "cannot tell which java runs this benchmark"))).getParent().getParent();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String base() {
        return base;
    }

    public long pid() {
        return process.pid();
    }

    /** Seconds from the start of the process to its first 200 on {@code /health}. */
    public double startupSeconds() {
        return startupSeconds;
    }

    /** User plus system CPU seconds the process has used. */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** The file descriptors the process holds open. */
    public long openFiles() throws IOException {
        try (var files = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return files.count();
        }
    }

    /** The heap in use as the process reports it on {@code /metrics}. */
    public long heapUsedBytes() throws IOException, InterruptedException {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return HeapMetric.used(metrics);
    }

    /** Forces a full GC in the process ({@code jcmd PID GC.run}), then reads its heap in use. */
    public long heapAfterGc() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            Process jcmd = new ProcessBuilder(javaHome().resolve("bin/jcmd").toString(), String.valueOf(pid()),
                    "GC.run").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new PresencedException("jcmd " + pid() + " GC.run failed: " + out);
            }
            Thread.sleep(200);
        }
        return heapUsedBytes();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
