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
        session = recovered.orElseGet(() -> gateway.open(caller));
        Optional<String> state = wsc.map(token -> recovered.isPresent() ? "Successful" : "Failed");
        state.ifPresent(gateway.counters()::recovery);
        // ConnectionDetails is the first frame, before anything the session has waiting.
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
        lost(ws, "client");
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        lost(ws, "error");
    }

    private void lost(WsSession ws, String reason) {
        if (session != null && session.detach(ws, clock.instant()) && !session.closedByServer()) {
            gateway.counters().closed(reason);
        }
    }
}
