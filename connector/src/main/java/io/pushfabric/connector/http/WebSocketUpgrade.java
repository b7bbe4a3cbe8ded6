package io.pushfabric.connector.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketVersion;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.xnio.StreamConnection;

/**
 * The WebSocket handshake of {@code /ws}, done so that nothing of the upgrade request outlives it.
 * Undertow's own upgrade callback stays referenced by the HTTP connection for as long as the WebSocket is open,
 * and with it the whole request: headers, query string (the access token), attachments — about 2.7 KiB per idle
 * connection. This one listener serves every connection and holds nothing of any; the new connection gets only
 * what its session needs ({@link UpgradeAdmission.Admitted}), and its URL leaves out the query string.
 */
final class WebSocketUpgrade implements HttpUpgradeListener {
    private static final AttachmentKey<UpgradeAdmission.Admitted> ADMITTED =
            AttachmentKey.create(UpgradeAdmission.Admitted.class);

    private final Map<WebSocketVersion, Handshake> handshakes = new EnumMap<>(WebSocketVersion.class);
    private final WebSocketProtocolHandshakeHandler handshake;
    private final BiConsumer<WebSocketChannel, UpgradeAdmission.Admitted> onConnect;

    /** @param onConnect called with each new connection and what its upgrade was admitted with */
    WebSocketUpgrade(BiConsumer<WebSocketChannel, UpgradeAdmission.Admitted> onConnect) {
        this.onConnect = onConnect;
        List<Handshake> supported = List.of(new Hybi13Handshake(), new Hybi08Handshake(), new Hybi07Handshake());
        supported.forEach(h -> handshakes.put(h.getVersion(), h));
        this.handshake = new WebSocketProtocolHandshakeHandler(supported, this, ResponseCodeHandler.HANDLE_404);
    }

    /** Answers an admitted upgrade request: 101 and a WebSocket, or 404 when it is no WebSocket handshake. */
    void upgrade(HttpServerExchange exchange, UpgradeAdmission.Admitted admitted) throws Exception {
        exchange.putAttachment(ADMITTED, admitted);
        handshake.handleRequest(exchange);
    }

    /** The 101 went out: make the WebSocket. The request ends here; only {@code admitted} is handed on. */
    @Override
    public void handleUpgrade(StreamConnection connection, HttpServerExchange exchange) {
        UpgradeAdmission.Admitted admitted = exchange.removeAttachment(ADMITTED);
        Handshake chosen = handshakes.get(exchange.getAttachment(WebSocketVersion.ATTACHMENT_KEY));
        exchange.setQueryString(""); // the channel's URL is made from the request's: leave the token out of it
        // Open connections are tracked by UndertowServer (its sockets), so Undertow's peer set stays empty.
        WebSocketChannel channel = chosen.createChannel(
                new AsyncWebSocketHttpServerExchange(exchange, Collections.emptySet()), connection,
                exchange.getConnection().getByteBufferPool());
        onConnect.accept(channel, admitted);
    }
}
