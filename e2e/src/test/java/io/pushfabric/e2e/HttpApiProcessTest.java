package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.dispatcher.api.ApiKeys;
import io.pushfabric.dispatcher.api.ApiScope;
import io.pushfabric.embedded.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API the way production runs it: {@code DispatcherMain} in its own JVM, configured only by
 * variables, in front of a connector and real Kafka and Redis.
 */
class HttpApiProcessTest {
    private static final String MAIN = "io.pushfabric.dispatcher.DispatcherMain";

    @Test
    void aDispatcherProcessServesTheApiAndWhatIsPostedReachesTheClient() throws Exception {
        try (Fabric fabric = Fabric.start(1, 0, Map.of())) {
            String key = "e2e-" + UUID.randomUUID();
            int statusPort = FreePorts.pick();
            int apiPort = FreePorts.pick();
            Map<String, String> env = new HashMap<>(fabric.env);
            env.put("PUSH_HTTP_PORT", Integer.toString(statusPort));
            env.put("PUSH_API_HOST", "127.0.0.1");
            env.put("PUSH_API_PORT", Integer.toString(apiPort));
            env.put("PUSH_API_KEYS", ApiKeys.entry("backend", EnumSet.allOf(ApiScope.class), key));
            try (ServiceProcess dispatcher = ServiceProcess.start("api-dispatcher", MAIN, env, statusPort)) {
                String api = "http://127.0.0.1:" + apiPort;
                WsClient alice = fabric.connectWelcomed(0, "alice", null);
                JsonNode online = send(fabric, HttpRequest.newBuilder(URI.create(api + "/v1/presence/alice")), key);
                assertThat(online.path("sessions").asInt()).isEqualTo(1);
                assertThat(online.path("nodes").get(0).path("node").asText()).isEqualTo(fabric.nodeId(0));

                JsonNode published = send(fabric, HttpRequest.newBuilder(URI.create(api + "/v1/publish"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\",\"payload\":{\"text\":\"hi\"}}")), key);

                await().atMost(Duration.ofSeconds(30)).until(() -> alice.pushes().stream()
                        .map(ServerFrame.Push::position).anyMatch(p -> p.id().equals(published.path("id").asText())));
                alice.close();
                await().atMost(Duration.ofSeconds(20)).until(() -> !send(fabric, HttpRequest.newBuilder(
                        URI.create(api + "/v1/presence/alice")), key).path("online").asBoolean());
            }
        }
    }

    @Test
    void aDispatcherProcessRefusesThePublicDevKey() throws Exception {
        int statusPort = FreePorts.pick();
        Map<String, String> env = Map.of("PUSH_HTTP_PORT", Integer.toString(statusPort), "PUSH_API_PORT", "0",
                "PUSH_API_KEYS", ApiKeys.entry("dev", EnumSet.of(ApiScope.PUBLISH), ApiKeys.DEV_ONLY_KEY));

        Throwable failure = catchThrowable(() -> ServiceProcess.start("api-dev-key", MAIN, env, statusPort).close());

        assertThat(failure).hasStackTraceContaining("exited with 2");
        assertThat(Files.readString(java.nio.file.Path.of("target", "processes", "api-dev-key.log")))
                .contains("PUSH_API_KEYS").contains("public dev key");
    }

    private static JsonNode send(Fabric fabric, HttpRequest.Builder request, String key) throws Exception {
        HttpResponse<String> response = fabric.http.send(request.header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
