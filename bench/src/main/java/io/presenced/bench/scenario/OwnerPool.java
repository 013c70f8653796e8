package io.presenced.bench.scenario;

import io.presenced.admin.DemoAccount;
import io.presenced.bench.client.Api;
import io.presenced.subscription.SubscriptionService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out subscription owners: each owner (extension + app) may hold {@link SubscriptionService#MAX_PER_OWNER}
 * subscriptions, so the next owner takes over once one is full. Access tokens and WebSocket tokens are fetched
 * once per owner and kept (a WebSocket token for half its 60 s lifetime).
 *
 * <p>Thread-safety: all methods are synchronised.
 */
final class OwnerPool {
    private static final long WS_TOKEN_NANOS = 30_000_000_000L;

    private final Api api;
    private final DemoAccount.Credentials credentials;
    private final List<DemoAccount.User> owners;
    private final Map<Integer, String> tokens = new HashMap<>();
    private final Map<Integer, Api.WsToken> wsTokens = new HashMap<>();
    private final Map<Integer, Long> wsTokenTimes = new HashMap<>();
    private int used;

    OwnerPool(Api api, DemoAccount.Credentials credentials, List<DemoAccount.User> owners) {
        this.api = api;
        this.credentials = credentials;
        this.owners = new ArrayList<>(owners);
    }

    /** How many owners {@code subscriptions} need. */
    static int ownersFor(int subscriptions) {
        return (subscriptions + SubscriptionService.MAX_PER_OWNER - 1) / SubscriptionService.MAX_PER_OWNER;
    }

    /** The owner of the next subscription, as an index for {@link #accessToken} and {@link #wsToken}. */
    synchronized int next() {
        int owner = used++ / SubscriptionService.MAX_PER_OWNER;
        if (owner >= owners.size()) {
            throw new IllegalStateException("only " + owners.size() + " subscription owners were prepared, for "
                    + owners.size() * SubscriptionService.MAX_PER_OWNER + " subscriptions; asked for more");
        }
        return owner;
    }

    /** The owner's access token. */
    synchronized String accessToken(int owner) throws IOException, InterruptedException {
        String token = tokens.get(owner);
        if (token == null) {
            token = api.login(credentials, owners.get(owner).jwt());
            tokens.put(owner, token);
        }
        return token;
    }

    /** A WebSocket token of the owner, fetched anew once the kept one is half-way through its life. */
    synchronized Api.WsToken wsToken(int owner) throws IOException, InterruptedException {
        Long at = wsTokenTimes.get(owner);
        if (at == null || System.nanoTime() - at > WS_TOKEN_NANOS) {
            wsTokens.put(owner, api.wsToken(accessToken(owner)));
            wsTokenTimes.put(owner, System.nanoTime());
        }
        return wsTokens.get(owner);
    }
}
