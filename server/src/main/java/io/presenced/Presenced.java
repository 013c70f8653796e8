package io.presenced;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.api.ApiRoutes;
import io.presenced.api.BaseUrl;
import io.presenced.api.DirectErrors;
import io.presenced.api.DirectoryApi;
import io.presenced.api.IngestApi;
import io.presenced.api.OAuthApi;
import io.presenced.api.OpsApi;
import io.presenced.api.PresenceApi;
import io.presenced.api.Requests;
import io.presenced.api.SubscriptionApi;
import io.presenced.auth.JwtCredentials;
import io.presenced.auth.OAuthService;
import io.presenced.auth.RateLimiter;
import io.presenced.cli.Main;
import io.presenced.delivery.Pipeline;
import io.presenced.delivery.Reminders;
import io.presenced.delivery.WebhookClient;
import io.presenced.directory.Directory;
import io.presenced.ingest.IngestService;
import io.presenced.presence.PresenceService;
import io.presenced.presence.PresenceWriter;
import io.presenced.store.JdbcStore;
import io.presenced.store.Store;
import io.presenced.subscription.FilterResolver;
import io.presenced.subscription.SubscriptionIndex;
import io.presenced.subscription.SubscriptionService;
import io.presenced.websocket.WsGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running Presenced server: the store, the directory, the presence writer, OAuth and the HTTP API,
 * wired together. {@link #start} returns once it is listening; {@link #close} stops it in order.
 */
public final class Presenced implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Presenced.class.getName());

    private final ServerConfig config;
    private final Store store;
    /** How long an expired subscription is kept (answering SUB-507) before it is purged. */
    private static final long EXPIRED_SUBSCRIPTION_GRACE_SECONDS = 86_400;

    private final PresenceWriter writer;
    private final Pipeline pipeline;
    private final WebServer server;
    private final ScheduledExecutorService housekeeping;
    private final Optional<Path> credentialsFile;

    private Presenced(ServerConfig config, Store store) {
        this.config = config;
        this.store = store;
        Clock clock = Clock.systemUTC();
        Optional<DemoAccount.Credentials> demo = Optional.empty();
        Directory directory = Directory.load(store);
        Path credentials = config.dataDir().resolve(DemoAccount.FILE);
        boolean demoUnfinished = directory.accounts().stream().anyMatch(a -> a.name().equals(DemoAccount.ACCOUNT_NAME))
                && !Files.exists(credentials);
        if (config.seedDemo() && (directory.accounts().isEmpty() || demoUnfinished)) {
            demo = Optional.of(DemoAccount.ensure(new Admin(store, clock)));
            directory.refresh();
            // Written at once, so that no later failure of this start can leave the demo without its credentials;
            // written again below with the address the server listens on.
            DemoAccount.write(config.dataDir(), demo.get().at(config.publicUrl()
                    .orElse("http://localhost:" + config.port())));
        }
        this.writer = PresenceWriter.start(store, clock);
        OAuthService oauth = new OAuthService(store, directory, new JwtCredentials(store, clock), config.auth(), clock);
        RateLimiter limiter = new RateLimiter(config.rateLimits(), clock);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        Gauge.builder("presenced.directory.extensions", directory, Directory::size).register(meters);
        writer.onCommit(events -> meters.counter("presenced.presence.events").increment(events.size()));

        SubscriptionIndex index = new SubscriptionIndex();
        WebhookClient webhooks = new WebhookClient(config.delivery(), Main.version(), clock);
        PresenceService presence = new PresenceService(writer);
        SubscriptionService subscriptions = new SubscriptionService(store, index,
                new FilterResolver(directory, presence), webhooks, clock);
        this.pipeline = new Pipeline(store, index, directory, webhooks, config.delivery(), clock, meters,
                subscriptions::blacklist);
        subscriptions.listen(pipeline);
        int orphans = subscriptions.dropWebSocketSubscriptions();
        if (orphans > 0) {
            LOG.log(System.Logger.Level.INFO, "deleted " + orphans + " WebSocket subscriptions of sessions that ended"
                    + " with the previous process");
        }
        pipeline.start(store.subscriptions());
        writer.onCommit(pipeline::onCommit);

        BaseUrl baseUrl = new BaseUrl(config.publicUrl());
        Requests requests = new Requests(config.maxBodyBytes());
        HttpRouting.Builder routing = HttpRouting.builder();
        ApiRoutes routes = new ApiRoutes(routing, oauth, limiter, meters);
        new OAuthApi(oauth, requests, baseUrl).register(routes);
        new PresenceApi(presence, directory, requests, baseUrl).register(routes);
        new SubscriptionApi(subscriptions, requests, baseUrl, clock).register(routes);
        new IngestApi(new IngestService(directory, writer), requests).register(routes);
        new DirectoryApi(directory, baseUrl).register(routes);
        new OpsApi(store, meters).register(routes);
        routes.fallback();

        WsGateway gateway = new WsGateway(store, directory, subscriptions, config.webSocket(), clock,
                config.publicUrl().orElse(""), meters);
        pipeline.useWebSockets(gateway);
        try {
            this.server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    // No Nagle: an answer written in pieces must not wait for the client's delayed ACK.
                    .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                    .maxPayloadSize(config.maxBodyBytes() * 4)
                    .directHandlers(DirectErrors.handlers(config.maxBodyBytes()))
                    .routing(routing)
                    .addRouting(WsRouting.builder().endpoint("/ws", gateway::listener))
                    .build()
                    .start();
        } catch (RuntimeException e) {
            // The port is taken, say: stop what already runs, so that the process can exit.
            writer.close();
            pipeline.close();
            throw e;
        }

        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("housekeeping")
                .factory());
        housekeeping.scheduleWithFixedDelay(() -> quietly(directory::refresh), 1, 1, TimeUnit.SECONDS);
        Reminders reminders = new Reminders(index, webhooks, clock);
        housekeeping.scheduleWithFixedDelay(() -> quietly(pipeline::checkpoint), 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> quietly(reminders::tick), 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> quietly(gateway::expire), 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> quietly(() -> {
            oauth.purgeExpired();
            limiter.sweep();
            subscriptions.purgeExpired(EXPIRED_SUBSCRIPTION_GRACE_SECONDS);
        }), 1, 60, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> quietly(pipeline::enforceRetention), 1, 600, TimeUnit.SECONDS);

        String listening = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1"
                : config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        gateway.loopback("http://" + listening + ":" + server.port(), routes::internalCredential);
        String url = config.publicUrl().orElse("http://localhost:" + server.port());
        this.credentialsFile = demo.map(d -> DemoAccount.write(config.dataDir(), d.at(url)));
    }

    private static void quietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "housekeeping task failed", e);
        }
    }

    /** Opens the embedded store in the configured data directory and starts serving. */
    public static Presenced start(ServerConfig config) {
        JdbcStore store = JdbcStore.sqlite(config.dataDir());
        try {
            return new Presenced(config, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** The demo credentials file, if this start created the demo account. */
    public Optional<Path> credentialsFile() {
        return credentialsFile;
    }

    public ServerConfig config() {
        return config;
    }

    /** Stops taking requests, commits queued presence changes, and closes the store. */
    @Override
    public void close() {
        server.stop();
        housekeeping.shutdownNow();
        writer.close();
        pipeline.close();
        store.close();
    }
}
