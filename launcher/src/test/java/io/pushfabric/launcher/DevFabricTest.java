package io.pushfabric.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.connector.auth.TokenIssuer;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.UserId;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev fabric end to end, the way the dev page uses it: a token from {@code /api/token}, a WebSocket
 * through the front's proxy, a publish through {@code /api/publish}, the push frame on the socket.
 */
class DevFabricTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Set<String> NODES = Set.of("node-a", "node-b");

    private static DevFabric fabric;
    private static HttpClient http;

    @BeforeAll
    static void startFabric() {
        fabric = DevFabric.start(DevOptions.ephemeral());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopFabric() {
        if (fabric != null) {
            fabric.close();
        }
    }

    @Test
    void publishedPushArrivesOverAWebSocketOpenedThroughTheFront() throws Exception {
        String user = "alice-" + UUID.randomUUID();
        Frames frames = new Frames();
        WebSocket socket = connect(tokenFromApi(user), frames);
        try {
            JsonNode welcome = frames.next();
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            assertThat(welcome.path("user").asText()).isEqualTo(user);
            assertThat(welcome.path("node").asText()).isIn(NODES);

            JsonNode published = post("/api/publish",
                    "{\"user\":\"" + user + "\",\"payload\":{\"text\":\"hello\",\"n\":1}}", 200);
            String id = published.path("id").asText();
            assertThat(id).matches("\\d+-\\d+");

            JsonNode push = frames.next();
            assertThat(push.path("type").asText()).isEqualTo("push");
            assertThat(push.path("id").asText()).isEqualTo(id);
            assertThat(push.path("user").asText()).isEqualTo(user);
            assertThat(push.path("node").asText()).isIn(NODES);
            assertThat(push.path("payload")).isEqualTo(Json.MAPPER.readTree("{\"text\":\"hello\",\"n\":1}"));
        } finally {
            socket.abort();
        }
    }

    @Test
    void frontSpreadsConnectionsOverBothConnectors() throws Exception {
        String user = "bob-" + UUID.randomUUID();
        String token = tokenFromApi(user);
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Frames frames = new Frames();
            WebSocket socket = connect(token, frames);
            try {
                nodes.add(frames.next().path("node").asText());
            } finally {
                socket.abort();
            }
        }
        assertThat(nodes).isEqualTo(NODES);
    }

    @Test
    void upgradeWithoutAValidTokenGets401ThroughTheFront() {
        assertThat(handshakeStatus(fabric.webSocketUri())).isEqualTo(401);
        String foreign = new TokenIssuer(
                DevFabric.devAuth("some-other-secret-that-is-at-least-32-bytes"), Clock.systemUTC())
                .issue(UserId.of("mallory"), Duration.ofMinutes(5));
        assertThat(handshakeStatus(URI.create(fabric.webSocketUri() + "?access_token=" + foreign))).isEqualTo(401);
    }

    @Test
    void apiRejectsBadInputWithAReason() throws Exception {
        assertThat(post("/api/publish", "{\"payload\":{}}", 400).path("error").asText()).contains("user");
        assertThat(post("/api/publish", "not json", 400).path("error").asText()).contains("not JSON");
        HttpResponse<String> noUser = http.send(HttpRequest.newBuilder(fabric.frontUri().resolve("/api/token")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noUser.statusCode()).isEqualTo(400);
        HttpResponse<String> tooShort = http.send(HttpRequest.newBuilder(fabric.frontUri()
                .resolve("/api/token?user=alice&ttl=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooShort.statusCode()).isEqualTo(400);
    }

    @Test
    void pageTokensCanBeShortSoTheDevPageShowsRefreshAndExpiry() throws Exception {
        HttpResponse<String> shortToken = http.send(HttpRequest.newBuilder(fabric.frontUri()
                .resolve("/api/token?user=alice&ttl=30")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(shortToken.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(shortToken.body()).path("expiresInSeconds").asLong()).isEqualTo(30);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(fabric.frontUri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("type: \"refresh\"").contains("\"refreshed\"").contains("4004");
    }

    @Test
    void frontServesTheDevPage() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(fabric.frontUri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("pushfabric dev").contains("/api/token").contains("/api/publish");
    }

    @Test
    void statusCommandListsBothNodesLiveWithTheirSessions() throws Exception {
        Frames frames = new Frames();
        WebSocket socket = connect(tokenFromApi("status-watcher"), frames);
        assertThat(frames.next().path("type").asText()).isEqualTo("welcome");
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new PushfabricCli()).setOut(new java.io.PrintWriter(out));
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            out.getBuffer().setLength(0);
            int exit = cli.execute("status", "--bootstrap", fabric.kafkaBootstrap(), "--redis", fabric.redisUri());
            assertThat(exit).isZero();
            assertThat(out.toString()).containsPattern("node-a\\s+live").containsPattern("node-b\\s+live")
                    .contains("2 live node(s), 1 session(s)").contains("dispatcher lag: 0");
        });
        socket.abort();
    }

    @Test
    void adminCommandDisconnectsTheUserOnEveryNode() throws Exception {
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        Frames frames = new Frames() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        };
        connect(tokenFromApi("troublemaker"), frames);
        assertThat(frames.next().path("type").asText()).isEqualTo("welcome");
        int exit = new picocli.CommandLine(new PushfabricCli()).execute("admin", "--bootstrap", fabric.kafkaBootstrap(),
                "--disconnect-user", "troublemaker");
        assertThat(exit).isZero();
        assertThat(closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(4002);
    }

    private static String tokenFromApi(String user) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(fabric.frontUri()
                        .resolve("/api/token?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("user").asText()).isEqualTo(user);
        return body.path("token").asText();
    }

    private static WebSocket connect(String token, Frames frames) throws Exception {
        return http.newWebSocketBuilder()
                .buildAsync(URI.create(fabric.webSocketUri() + "?access_token=" + token), frames)
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static JsonNode post(String path, String body, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(fabric.frontUri().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return Json.MAPPER.readTree(response.body());
    }

    /** The HTTP status with which the upgrade was refused. */
    private static int handshakeStatus(URI uri) {
        Throwable failure = catchThrowable(() -> http.newWebSocketBuilder()
                .buildAsync(uri, new Frames()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    /** Collects whole text frames as JSON. */
    private static class Frames implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(Json.MAPPER.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new AssertionError("server sent a frame that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** The next frame, waiting up to {@link #WAIT}. */
        JsonNode next() throws InterruptedException {
            JsonNode frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("a frame within " + WAIT).isNotNull();
            return frame;
        }
    }
}
