package io.pushfabric.launcher;

import io.pushfabric.client.KeyPartitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.connector.auth.TokenIssuer;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.api.ApiKeys;
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
import org.junit.jupiter.api.Nested;
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
    void channelPublishedThroughTheFrontReachesASubscribedClientWithItsNode() throws Exception {
        String user = "carol-" + UUID.randomUUID();
        String channel = "chat:dev-" + UUID.randomUUID();
        Frames frames = new Frames();
        WebSocket socket = connect(tokenFromApi(user), frames);
        try {
            assertThat(frames.next().path("type").asText()).isEqualTo("welcome");
            socket.sendText("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}", true)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode subscribed = frames.next();
            assertThat(subscribed.path("type").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("channel").asText()).isEqualTo(channel);

            JsonNode published = post("/api/publish",
                    "{\"channel\":\"" + channel + "\",\"payload\":{\"text\":\"room\"}}", 200);

            JsonNode push = frames.next();
            assertThat(push.path("type").asText()).isEqualTo("push");
            assertThat(push.path("id").asText()).isEqualTo(published.path("id").asText());
            assertThat(push.path("channel").asText()).isEqualTo(channel);
            assertThat(push.path("node").asText()).isIn(NODES);
            assertThat(push.path("payload").path("text").asText()).isEqualTo("room");
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
    void frontTakesABurstOfAThousandConcurrentUpgrades() throws Exception {
        int burst = 1_000;
        java.util.List<java.util.concurrent.CompletableFuture<WebSocket>> opening = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch welcomed = new java.util.concurrent.CountDownLatch(burst);
        for (int i = 0; i < burst; i++) {
            String token = fabric.token(UserId.of("burst-" + i), Duration.ofMinutes(5));
            opening.add(http.newWebSocketBuilder()
                    .buildAsync(URI.create(fabric.webSocketUri() + "?access_token=" + token), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            if (data.toString().contains("\"welcome\"")) {
                                welcomed.countDown();
                            }
                            return null;
                        }
                    }).toCompletableFuture());
        }
        java.util.List<Integer> refused = new java.util.ArrayList<>();
        try {
            for (java.util.concurrent.CompletableFuture<WebSocket> f : opening) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    refused.add(e.getCause() instanceof WebSocketHandshakeException h ? h.getResponse().statusCode() : -1);
                }
            }
            assertThat(refused).as("upgrades refused by the front").isEmpty();
            assertThat(welcomed.await(60, TimeUnit.SECONDS)).as("every session welcomed").isTrue();
        } finally {
            opening.stream().filter(f -> !f.isCompletedExceptionally()).forEach(f -> f.join().abort());
        }
    }

    @Test
    void dispatcherStatusServerListensOnLoopbackOnly() throws Exception {
        int port = fabric.dispatcherStatusUri().getPort();
        try (java.net.Socket loopback = new java.net.Socket("127.0.0.1", port)) {
            assertThat(loopback.isConnected()).isTrue();
        }
        java.util.List<java.net.InetAddress> external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).toList();
        org.junit.jupiter.api.Assumptions.assumeFalse(external.isEmpty(), "this machine has no non-loopback IPv4 address");
        for (java.net.InetAddress address : external) {
            assertThat(catchThrowable(() -> new java.net.Socket(address, port).close()))
                    .as("connect to %s:%d", address, port).isInstanceOf(java.net.ConnectException.class);
        }
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
        assertThat(post("/api/publish", "{\"channel\":\"#bad\",\"payload\":{}}", 400).path("error").asText())
                .contains("channel");
        assertThat(post("/api/publish", "{\"channel\":\"chat:a\",\"user\":\"alice\",\"payload\":{}}", 400)
                .path("error").asText()).contains("\"channel\"");
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
        assertThat(page.body()).contains("refreshAt").contains("\"refreshed\"").contains("refreshToken()");
        HttpResponse<String> sdk = http.send(HttpRequest.newBuilder(fabric.frontUri().resolve("/pushfabric.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sdk.body()).contains("type: 'refresh'").contains("4005");
    }

    @Test
    void frontServesTheSdkThePageRunsOn() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(fabric.frontUri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("import { PushClient, CLOSE_REASONS } from \"/pushfabric.js\"");
        HttpResponse<String> sdk = http.send(HttpRequest.newBuilder(fabric.frontUri().resolve("/pushfabric.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sdk.statusCode()).isEqualTo(200);
        assertThat(sdk.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(sdk.body()).contains("export class PushClient");
    }

    @Test
    void frontServesTheDevPage() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(fabric.frontUri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("pushfabric dev").contains("/api/token").contains("/api/publish");
        assertThat(page.body()).as("channels on the page").contains("client.subscribe(").contains("client.unsubscribe(")
                .contains("body.channel");
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
    void dlqCommandShowsAMisplacedRecordAndRedrivesItToTheConnectedUser() throws Exception {
        String user = "misplaced-" + UUID.randomUUID();
        Frames frames = new Frames();
        WebSocket socket = connect(tokenFromApi(user), frames);
        assertThat(frames.next().path("type").asText()).isEqualTo("welcome");
        int wrong = (KeyPartitions.of(user, DevFabric.REQUEST_PARTITIONS) + 1)
                % DevFabric.REQUEST_PARTITIONS;
        byte[] value = ("{\"v\":1,\"user\":\"" + user + "\",\"messageId\":\"m-1\",\"payload\":{\"text\":\"late\"}}")
                .getBytes(StandardCharsets.UTF_8);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
                     new org.apache.kafka.clients.producer.KafkaProducer<>(
                             java.util.Map.of("bootstrap.servers", fabric.kafkaBootstrap()),
                             new org.apache.kafka.common.serialization.StringSerializer(),
                             new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("push-requests", wrong, user, value)).get();
        }
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = PushfabricCli.commandLine().setOut(new java.io.PrintWriter(out));
        String bootstrap = fabric.kafkaBootstrap();
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            out.getBuffer().setLength(0);
            assertThat(cli.execute("dlq", "list", "--bootstrap", bootstrap)).isZero();
            assertThat(out.toString()).contains("WRONG_PARTITION").contains("key=" + user);
        });
        String id = out.toString().lines().filter(l -> l.contains("key=" + user)).findFirst().orElseThrow().split(" ")[0];
        out.getBuffer().setLength(0);
        assertThat(cli.execute("dlq", "show", id, "--bootstrap", bootstrap)).isZero();
        assertThat(out.toString()).contains("reason: WRONG_PARTITION").contains("\"text\":\"late\"")
                .contains("partitioner=murmur2_random");
        out.getBuffer().setLength(0);
        assertThat(cli.execute("dlq", "count", "--bootstrap", bootstrap)).isZero();
        assertThat(out.toString()).containsPattern("WRONG_PARTITION\\s+\\d+");

        out.getBuffer().setLength(0);
        assertThat(cli.execute("dlq", "redrive", "--bootstrap", bootstrap)).isZero();
        assertThat(out.toString()).containsPattern("redriven [1-9]");
        JsonNode push = frames.next();
        assertThat(push.path("type").asText()).isEqualTo("push");
        assertThat(push.path("payload").path("text").asText()).isEqualTo("late");
        out.getBuffer().setLength(0);
        assertThat(cli.execute("dlq", "redrive", "--bootstrap", bootstrap)).isZero();
        assertThat(out.toString()).as("a second redrive").startsWith("redriven 0, refused 0");
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

    @Test
    void adminCommandsSubscribeAndUnsubscribeEverySessionOfTheUser() throws Exception {
        Frames frames = new Frames();
        WebSocket socket = connect(tokenFromApi("joiner"), frames);
        assertThat(frames.next().path("type").asText()).isEqualTo("welcome");
        picocli.CommandLine cli = PushfabricCli.commandLine();

        assertThat(cli.execute("admin", "--bootstrap", fabric.kafkaBootstrap(), "--subscribe-user", "joiner",
                "--channel", "ops:room")).isZero();
        JsonNode subscribed = frames.next();
        assertThat(subscribed.path("type").asText()).isEqualTo("subscribed");
        assertThat(subscribed.path("channel").asText()).isEqualTo("ops:room");
        assertThat(cli.execute("publish", "--bootstrap", fabric.kafkaBootstrap(), "--channel", "ops:room",
                "{\"text\":\"hi room\"}")).isZero();
        JsonNode push = frames.next();
        assertThat(push.path("channel").asText()).isEqualTo("ops:room");
        assertThat(push.path("payload").path("text").asText()).isEqualTo("hi room");

        assertThat(cli.execute("admin", "--bootstrap", fabric.kafkaBootstrap(), "--unsubscribe-user", "joiner",
                "--channel", "ops:room")).isZero();
        JsonNode unsubscribed = frames.next();
        assertThat(unsubscribed.path("type").asText()).isEqualTo("unsubscribed");
        assertThat(unsubscribed.path("reason").asText()).isEqualTo("server");
        socket.abort();
    }

    @Test
    void adminSubscribeNeedsAValidChannel() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = PushfabricCli.commandLine().setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("admin", "--bootstrap", fabric.kafkaBootstrap(), "--subscribe-user", "joiner")).isEqualTo(2);
        assertThat(err.toString()).contains("--subscribe-user needs --channel");
        assertThat(cli.execute("admin", "--bootstrap", fabric.kafkaBootstrap(), "--unsubscribe-user", "joiner",
                "--channel", "#bad")).isEqualTo(2);
        assertThat(err.toString()).contains("#bad");
        assertThat(cli.execute("admin", "--bootstrap", fabric.kafkaBootstrap(), "--disconnect-user", "joiner",
                "--channel", "ops:room")).isEqualTo(2);
        assertThat(err.toString()).contains("--channel goes with --subscribe-user or --unsubscribe-user");
    }

    /**
     * The dispatcher's HTTP API as a backend uses it (docs/http-api.md): what is POSTed reaches a WebSocket
     * client, and presence follows the client's connect and close, over HTTP and through {@code pushfabric presence}.
     */
    @Nested
    class HttpApi {
        @Test
        void whatIsPostedArrivesAtTheClientAndPresenceFollowsItsConnection() throws Exception {
            String user = "erin-" + UUID.randomUUID();
            assertThat(presence(user).path("online").asBoolean()).isFalse();

            Frames frames = new Frames();
            WebSocket socket = connect(fabric.token(UserId.of(user), Duration.ofMinutes(5)), frames);
            JsonNode welcome = frames.next();
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            JsonNode online = presence(user);
            assertThat(online.path("online").asBoolean()).isTrue();
            assertThat(online.path("sessions").asInt()).isEqualTo(1);
            assertThat(online.path("nodes").get(0).path("node").asText()).isEqualTo(welcome.path("node").asText());

            JsonNode single = api("/v1/publish", "{\"user\":\"" + user + "\",\"payload\":{\"text\":\"one\"}}");
            JsonNode batch = api("/v1/publish/batch", "{\"requests\":[{\"user\":\"" + user + "\",\"payload\":\"two\"},"
                    + "{\"user\":\"" + user + "\",\"payload\":\"three\"}]}");

            JsonNode first = frames.next();
            assertThat(first.path("type").asText()).isEqualTo("push");
            assertThat(first.path("id").asText()).isEqualTo(single.path("id").asText());
            assertThat(first.path("payload")).isEqualTo(Json.MAPPER.readTree("{\"text\":\"one\"}"));
            JsonNode second = frames.next();
            JsonNode third = frames.next();
            assertThat(second.path("id").asText()).isEqualTo(batch.path("results").get(0).path("id").asText());
            assertThat(second.path("payload").asText()).isEqualTo("two");
            assertThat(third.path("id").asText()).isEqualTo(batch.path("results").get(1).path("id").asText());
            assertThat(third.path("payload").asText()).isEqualTo("three");

            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            org.awaitility.Awaitility.await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(presence(user).path("online").asBoolean()).isFalse());
        }

        @Test
        void presenceCommandShowsTheUsersSessionsPerNode() throws Exception {
            String user = "frank-" + UUID.randomUUID();
            assertThat(presenceCommand(user)).isEqualTo(user + ": offline");
            Frames frames = new Frames();
            WebSocket socket = connect(fabric.token(UserId.of(user), Duration.ofMinutes(5)), frames);
            try {
                String node = frames.next().path("node").asText();

                assertThat(presenceCommand(user)).startsWith(user + ": online, 1 session(s)")
                        .containsPattern(node + "\\s+1 session\\(s\\)");
                assertThat(Json.MAPPER.readTree(presenceCommand("--json", user))).isEqualTo(presence(user));
            } finally {
                socket.abort();
            }
        }

        @Test
        void channelPresenceFollowsSubscribeUnsubscribeAndClose() throws Exception {
            String channel = "chat:room-" + UUID.randomUUID();
            String alice = "alice-" + UUID.randomUUID();
            String bob = "bob-" + UUID.randomUUID();
            Frames aliceFrames = new Frames();
            Frames bobFrames = new Frames();
            WebSocket aliceSocket = connect(fabric.token(UserId.of(alice), Duration.ofMinutes(5)), aliceFrames);
            WebSocket bobSocket = connect(fabric.token(UserId.of(bob), Duration.ofMinutes(5)), bobFrames);
            try {
                for (Frames frames : java.util.List.of(aliceFrames, bobFrames)) {
                    assertThat(frames.next().path("type").asText()).isEqualTo("welcome");
                }
                String subscribe = "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}";
                aliceSocket.sendText(subscribe, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                bobSocket.sendText(subscribe, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(aliceFrames.next().path("type").asText()).isEqualTo("subscribed");
                assertThat(bobFrames.next().path("type").asText()).isEqualTo("subscribed");

                JsonNode both = channelPresence(channel, "");
                assertThat(both.path("members")).extracting(m -> m.path("user").asText())
                        .containsExactlyInAnyOrder(alice, bob);
                assertThat(both.path("truncated").asBoolean()).isFalse();
                JsonNode capped = channelPresence(channel, "?limit=1");
                assertThat(capped.path("members")).hasSize(1);
                assertThat(capped.path("truncated").asBoolean()).isTrue();
                assertThat(presenceCommand("--channel", channel, "--limit", "1")).startsWith(channel + ": 1+ user(s)");
                assertThat(Json.MAPPER.readTree(presenceCommand("--json", "--channel", channel))).isEqualTo(both);

                bobSocket.sendText("{\"type\":\"unsubscribe\",\"channel\":\"" + channel + "\"}", true)
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                        channelPresence(channel, "").path("members")).extracting(m -> m.path("user").asText())
                        .containsExactly(alice));
                aliceSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                        channelPresence(channel, "").path("members")).isEmpty());
            } finally {
                aliceSocket.abort();
                bobSocket.abort();
            }
        }

        private static JsonNode channelPresence(String channel, String query) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fabric.apiUri()
                    + "/v1/channels/" + channel + "/presence" + query))
                    .header("Authorization", "Bearer " + ApiKeys.DEV_ONLY_KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.MAPPER.readTree(response.body());
        }

        private static String presenceCommand(String... args) {
            java.io.StringWriter out = new java.io.StringWriter();
            picocli.CommandLine cli = PushfabricCli.commandLine().setOut(new java.io.PrintWriter(out));
            String[] all = new String[args.length + 3];
            all[0] = "presence";
            all[1] = "--redis";
            all[2] = fabric.redisUri();
            System.arraycopy(args, 0, all, 3, args.length);
            assertThat(cli.execute(all)).isZero();
            return out.toString().trim();
        }

        private static JsonNode presence(String user) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fabric.apiUri()
                    + "/v1/presence/" + user)).header("Authorization", "Bearer " + ApiKeys.DEV_ONLY_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.MAPPER.readTree(response.body());
        }

        private static JsonNode api(String path, String body) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fabric.apiUri() + path))
                    .header("Authorization", "Bearer " + ApiKeys.DEV_ONLY_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.MAPPER.readTree(response.body());
        }
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
