package io.pushfabric.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.api.ApiKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The HTTP API as a backend uses it against a whole fabric (Kafka, Redis, dispatcher, two connectors): what is
 * POSTed reaches a WebSocket client, and presence follows the client's connect and disconnect, over HTTP and
 * through {@code pushfabric presence}.
 */
class DevApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

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
    void whatIsPostedArrivesAtTheClientAndPresenceFollowsItsConnection() throws Exception {
        String user = "erin-" + UUID.randomUUID();
        assertThat(presence(user).path("online").asBoolean()).isFalse();

        Frames frames = new Frames();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(fabric.webSocketUri() + "?access_token="
                + fabric.token(UserId.of(user), Duration.ofMinutes(5))), frames).get(10, TimeUnit.SECONDS);
        JsonNode welcome = frames.next();
        assertThat(welcome.path("type").asText()).isEqualTo("welcome");
        JsonNode online = presence(user);
        assertThat(online.path("online").asBoolean()).isTrue();
        assertThat(online.path("sessions").asInt()).isEqualTo(1);
        assertThat(online.path("nodes").get(0).path("node").asText()).isEqualTo(welcome.path("node").asText());

        JsonNode single = post("/v1/publish", "{\"user\":\"" + user + "\",\"payload\":{\"text\":\"one\"}}");
        JsonNode batch = post("/v1/publish/batch", "{\"requests\":[{\"user\":\"" + user + "\",\"payload\":\"two\"},"
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

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).untilAsserted(() -> assertThat(presence(user).path("online").asBoolean()).isFalse());
    }

    @Test
    void presenceCommandShowsTheUsersSessionsPerNode() throws Exception {
        String user = "frank-" + UUID.randomUUID();
        assertThat(presenceCommand(user)).isEqualTo(user + ": offline");
        Frames frames = new Frames();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(fabric.webSocketUri() + "?access_token="
                + fabric.token(UserId.of(user), Duration.ofMinutes(5))), frames).get(10, TimeUnit.SECONDS);
        try {
            String node = frames.next().path("node").asText();

            assertThat(presenceCommand(user)).startsWith(user + ": online, 1 session(s)")
                    .containsPattern(node + "\\s+1 session\\(s\\)");
            assertThat(Json.MAPPER.readTree(presenceCommand("--json", user))).isEqualTo(presence(user));
        } finally {
            socket.abort();
        }
    }

    private static String presenceCommand(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = PushfabricCli.commandLine().setOut(new PrintWriter(out));
        String[] all = new String[args.length + 3];
        all[0] = "presence";
        all[1] = "--redis";
        all[2] = fabric.redisUri();
        System.arraycopy(args, 0, all, 3, args.length);
        assertThat(cli.execute(all)).isZero();
        return out.toString().trim();
    }

    private static JsonNode presence(String user) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fabric.apiUri() + "/v1/presence/"
                + user)).header("Authorization", "Bearer " + ApiKeys.DEV_ONLY_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fabric.apiUri() + path))
                .header("Authorization", "Bearer " + ApiKeys.DEV_ONLY_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
