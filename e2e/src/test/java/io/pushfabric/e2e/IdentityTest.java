package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.Jwts;
import io.pushfabric.connector.auth.AuthSettings;
import io.pushfabric.connector.auth.TokenIssuer;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity at the connector with real clients: a session lasts as long as its token unless the client brings a
 * fresh one in a refresh frame; browsers from origins outside {@code PUSH_ALLOWED_ORIGINS} get 403.
 */
class IdentityTest {
    private static final Duration SHORT = Duration.ofSeconds(2);
    private static Fabric fabric;
    private static TokenIssuer tokens;
    private static HttpServer identityProvider;
    private static KeyPair idpKey;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        idpKey = generator.generateKeyPair();
        byte[] jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) idpKey.getPublic()).keyID("idp-1").build())
                .toString(true).getBytes(StandardCharsets.UTF_8);
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/keys", exchange -> {
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        identityProvider.start();
        fabric = Fabric.start(1, 1, Map.of("PUSH_JWT_CLOCK_SKEW_MS", "0",
                "PUSH_ALLOWED_ORIGINS", "https://app.example.com, http://127.0.0.1:8080",
                "PUSH_JWKS_URL", "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/keys",
                "PUSH_JWT_ALGORITHMS", "HS256,RS256"));
        tokens = new TokenIssuer(new AuthSettings(Fabric.SECRET, null, null, Duration.ZERO), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
        if (identityProvider != null) {
            identityProvider.stop(0);
        }
    }

    private static String idpToken(String user, Duration validity) {
        return Jwts.builder().header().keyId("idp-1").and().subject(user)
                .expiration(Date.from(Instant.now().plus(validity))).signWith(idpKey.getPrivate()).compact();
    }

    @Test
    void identityProviderTokenOpensASessionAndRefreshesIt() {
        WsClient client = WsClient.connect(fabric.http, fabric.wsUrl(0), idpToken("idp-user", Duration.ofMinutes(1)),
                null).join();
        await().atMost(Duration.ofSeconds(20)).until(client::isWelcomed);

        client.send(refresh(idpToken("idp-user", Duration.ofMinutes(10))));

        await().atMost(Duration.ofSeconds(10)).until(() -> client.frames().stream()
                .anyMatch(f -> f instanceof ServerFrame.Refreshed));
        client.close();
    }

    private static WsClient connect(String user, Duration validity) {
        WsClient client = WsClient.connect(fabric.http, fabric.wsUrl(0), tokens.issue(UserId.of(user), validity), null)
                .join();
        await().atMost(Duration.ofSeconds(20)).until(client::isWelcomed);
        return client;
    }

    private static CompletableFuture<WebSocket> upgrade(String user, String origin) {
        WebSocket.Builder builder = fabric.http.newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.buildAsync(URI.create(fabric.wsUrl(0) + "?access_token="
                + tokens.issue(UserId.of(user), Duration.ofMinutes(5))), new WebSocket.Listener() {
                });
    }

    @Test
    void browserFromAnOriginNotAllowedGets403AndAllowedOnesAndNonBrowsersConnect() {
        Throwable refused = catchThrowable(() -> upgrade("origin-user", "https://evil.example").join());

        assertThat(refused).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(403);
        upgrade("origin-user", "https://APP.example.com").join().abort();
        upgrade("origin-user", null).join().abort();
    }

    private static String refresh(String token) {
        return "{\"type\":\"refresh\",\"token\":\"" + token + "\"}";
    }

    @Test
    void sessionWithoutRefreshClosesWithTokenExpiredAndARefreshedOneOutlivesItsFirstToken() {
        WsClient lapsing = connect("lapsing", SHORT);
        WsClient refreshing = connect("refreshing", SHORT);
        WsClient stranger = connect("stranger", SHORT);

        refreshing.send(refresh(tokens.issue(UserId.of("refreshing"), Duration.ofMinutes(5))));
        stranger.send(refresh(tokens.issue(UserId.of("someone-else"), Duration.ofMinutes(5))));
        stranger.send(refresh("not-a-token"));

        await().atMost(Duration.ofSeconds(15)).until(lapsing::isClosed);
        assertThat(lapsing.closeCode()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        await().atMost(Duration.ofSeconds(15)).until(stranger::isClosed);
        assertThat(stranger.closeCode()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        assertThat(stranger.frames()).filteredOn(f -> f instanceof ServerFrame.Error)
                .extracting(f -> ((ServerFrame.Error) f).code())
                .containsExactly("refresh_refused", "refresh_refused");
        assertThat(refreshing.frames()).anySatisfy(f -> assertThat(f).isInstanceOf(ServerFrame.Refreshed.class));

        fabric.publisher().publish(PushRequest.toUser(UserId.of("refreshing"),
                Json.MAPPER.createObjectNode().put("text", "still here"))).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> refreshing.pushes().size() == 1);
        assertThat(refreshing.isClosed()).isFalse();
        refreshing.close();
    }
}
