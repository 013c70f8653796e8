package io.presenced.bench.scenario;

import io.presenced.bench.client.Api;
import io.presenced.bench.server.ChildJvm;
import io.presenced.bench.server.DataDir;
import io.presenced.bench.server.Fixture;
import io.presenced.bench.server.HeapSampler;
import io.presenced.bench.server.ServerOptions;
import io.presenced.bench.server.ServerProcess;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A prepared data directory and the Presenced server started on it as a child process, with its heap sampled and
 * an admin access token at hand. Closing stops the server and deletes the directory (see {@link DataDir}).
 */
final class Harness implements AutoCloseable {
    final Path dir;
    final Fixture.Prepared prepared;
    final ChildJvm server;
    final HeapSampler heap;
    final Api api;
    final String adminToken;
    final OwnerPool owners;

    private Harness(Path dir, Fixture.Prepared prepared, ChildJvm server) throws IOException, InterruptedException {
        this.dir = dir;
        this.prepared = prepared;
        this.server = server;
        this.heap = HeapSampler.start(server);
        this.api = new Api(server.base());
        this.adminToken = api.login(prepared.credentials(), prepared.credentials().admin().jwt());
        this.owners = new OwnerPool(api, prepared.credentials(), prepared.owners());
    }

    /** {@code extensions} fresh users and owners for {@code subscriptions} subscriptions, then the server. */
    static Harness start(int extensions, int subscriptions, ServerOptions options) throws IOException,
            InterruptedException {
        Path dir = DataDir.create("presenced-bench");
        Fixture.Prepared prepared = Fixture.prepare(dir, extensions, OwnerPool.ownersFor(subscriptions), false);
        System.err.printf("prepared %d extensions in %s%n", prepared.userIds().size(), dir);
        return new Harness(dir, prepared, ServerProcess.start(dir, options));
    }

    @Override
    public void close() {
        heap.close();
        server.close();
        DataDir.delete(dir);
    }
}
