package io.presenced.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.presenced.auth.Caller;
import java.time.Clock;
import java.util.Optional;

/**
 * One WebSocket connection: authenticated by its {@code access_token} at the upgrade, attached to a new
 * WSG session or, with a recoverable {@code wsc} token, to the session it had before.
 */
final class Connection implements WsListener {
    private final WsGateway gateway;
    private final Clock clock = Clock.systemUTC();
    private Caller caller;
    private Optional<String> wsc = Optional.empty();
    private WsgSession session;

    Connection(WsGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        String token = prologue.query().first("access_token").orElse("");
        caller = gateway.authenticate(token).orElseThrow(() -> new WsUpgradeException(
                "WSG-401: the access_token is missing, unknown or expired; get one from /restapi/oauth/wstoken"));
        wsc = prologue.query().first("wsc").asOptional();
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        Optional<WsgSession> recovered = wsc.flatMap(token -> gateway.recoverable(token, caller));
        // ConnectionDetails is the first frame, before anything the session has waiting. A session that ended
        // between the two steps (its recovery timed out just then) cannot be attached: a new one is opened.
        if (recovered.isPresent() && recovered.get().attach(ws, clock.instant(),
                gateway.connectionDetails(recovered.get(), Optional.of("Successful")))) {
            session = recovered.get();
            gateway.counters().recovery("Successful");
            return;
        }
        session = gateway.open(caller);
        Optional<String> state = wsc.map(token -> "Failed");
        state.ifPresent(gateway.counters()::recovery);
        session.attach(ws, clock.instant(), gateway.connectionDetails(session, state));
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        session.touched(clock.instant());
        gateway.handle(session, text).ifPresent(session::sendControl);
    }

    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        session.touched(clock.instant());
        ws.pong(buffer);
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
        lost(ws, "client", true);
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        lost(ws, "error", false);
    }

    private void lost(WsSession ws, String reason, boolean clean) {
        if (session != null && session.detach(ws, clock.instant(), clean) && !session.closedByServer()) {
            gateway.counters().closed(reason);
        }
    }
}
