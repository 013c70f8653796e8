package io.presenced.bench;

import java.io.IOException;
import java.net.ServerSocket;

/** A benchmark scenario: a command whose failures end the run with their cause. */
abstract class Scenario implements Runnable {
    @Override
    public final void run() {
        try {
            execute();
        } catch (Exception e) {
            throw new IllegalStateException(getClass().getSimpleName() + " failed: " + e.getMessage(), e);
        }
    }

    abstract void execute() throws Exception;

    /** A free TCP port on the loopback address. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
