package io.pushfabric.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.UserId;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.core.WebSocketChannel;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An open WebSocket must not keep its upgrade request: the request's headers and query string carry the
 * access token, and would cost ≈2.7 KiB per idle connection for the life of the connection.
 */
class WebSocketUpgradeTest {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret-token-under-test.c2lnbmF0dXJl";

    private final AtomicReference<WeakReference<HttpServerExchange>> request = new AtomicReference<>();
    private final CompletableFuture<WebSocketChannel> connected = new CompletableFuture<>();
    private final AtomicReference<UpgradeAdmission.Admitted> handedOn = new AtomicReference<>();
    private Undertow server;
    private WebSocket client;

    @BeforeEach
    void start() {
        UpgradeAdmission.Admitted admitted = new UpgradeAdmission.Admitted(new UserId("u-1"), null,
                Instant.parse("2030-01-01T00:00:00Z"), "cursor-1", List.of(), null);
        WebSocketUpgrade upgrade = new WebSocketUpgrade((channel, what) -> {
            handedOn.set(what);
            connected.complete(channel);
        });
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    request.set(new WeakReference<>(exchange));
                    upgrade.upgrade(exchange, admitted);
                })
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        client = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?access_token=" + TOKEN + "&cursor=c"),
                        new WebSocket.Listener() {
                        })
                .join();
    }

    @AfterEach
    void stop() {
        client.abort();
        server.stop();
    }

    @Test
    void openConnectionLetsGoOfItsUpgradeRequest() throws Exception {
        WebSocketChannel channel = connected.get(10, TimeUnit.SECONDS);
        assertThat(channel.isOpen()).isTrue();
        assertThat(handedOn.get().cursor()).isEqualTo("cursor-1");

        // Weak references are cleared by the first full collection that finds their referent unreachable.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            return request.get().get() == null;
        });
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void openConnectionKeepsNoCopyOfTheToken() throws Exception {
        WebSocketChannel channel = connected.get(10, TimeUnit.SECONDS);

        assertThat(channel.getUrl()).doesNotContain(TOKEN).doesNotContain("access_token");
    }
}
