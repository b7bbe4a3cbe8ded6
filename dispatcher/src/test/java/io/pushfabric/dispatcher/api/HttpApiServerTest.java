package io.pushfabric.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.dispatcher.presence.ChannelPresenceQuery;
import io.pushfabric.dispatcher.presence.PresenceQuery;
import io.pushfabric.registry.InMemoryChannelMembers;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.InMemoryRouteRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edge with one thread and a publisher that acknowledges only when the test says so (a fake of our own
 * {@link RequestPublisher}, not of Kafka): how calls share the server's threads while Kafka is slow to answer.
 */
class HttpApiServerTest {
    private static final String KEY = "http-server-test-key-31f0";

    /** Publishes the server handed over and not yet acknowledged, in order. */
    private final BlockingQueue<CompletableFuture<MessagePosition>> unacknowledged = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpApiServer server;

    private HttpApiServer start(int threads) {
        Clock clock = Clock.systemUTC();
        ApiKeys keys = ApiKeys.parse(ApiKeys.entry("backend", EnumSet.of(ApiScope.PUBLISH, ApiScope.PRESENCE), KEY), false);
        RequestPublisher slowKafka = request -> {
            CompletableFuture<MessagePosition> ack = new CompletableFuture<>();
            unacknowledged.add(ack);
            return ack;
        };
        InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(clock);
        ApiMetrics metrics = new ApiMetrics(new SimpleMeterRegistry());
        ApiRoutes routes = new ApiRoutes(new ApiAuth(keys), new KeyRateLimits(keys, 1_000, 1_000, clock),
                new PublishBody(new PushRequestCodec(1024), 10),
                new PublishEndpoint(slowKafka, Duration.ofSeconds(60), clock),
                new PresenceQuery(new InMemoryRouteRegistry(), nodes),
                new ChannelPresenceQuery(new InMemoryChannelMembers(), nodes), new ChannelPresenceLimit(2, 3), metrics);
        server = new HttpApiServer("127.0.0.1", 0, threads, 4096, routes, metrics);
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> publish(String user) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + ApiRoutes.PUBLISH))
                        .header("Authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\",\"payload\":{\"n\":1}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The next publish the server handed to Kafka; fails the test if none comes within the guard time. */
    private CompletableFuture<MessagePosition> nextHandedOver() throws InterruptedException {
        CompletableFuture<MessagePosition> ack = unacknowledged.poll(20, TimeUnit.SECONDS);
        assertThat(ack).as("a publish handed to Kafka while an earlier one waits for its acknowledgement").isNotNull();
        return ack;
    }

    @Test
    void aPublishWaitingForKafkaHoldsNoThreadSoTheNextCallIsServed() throws Exception {
        start(1);

        CompletableFuture<HttpResponse<String>> first = publish("alice");
        CompletableFuture<MessagePosition> firstAck = nextHandedOver();
        CompletableFuture<HttpResponse<String>> second = publish("bob");
        CompletableFuture<MessagePosition> secondAck = nextHandedOver();
        secondAck.complete(new MessagePosition(1, 7));
        firstAck.complete(new MessagePosition(0, 3));

        HttpResponse<String> secondAnswer = second.get(20, TimeUnit.SECONDS);
        HttpResponse<String> firstAnswer = first.get(20, TimeUnit.SECONDS);
        assertThat(secondAnswer.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(secondAnswer.body()).get("id").asText()).isEqualTo("1-7");
        assertThat(firstAnswer.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(firstAnswer.body()).get("id").asText()).isEqualTo("0-3");
    }

    @Test
    void aPublishKafkaRefusesIsAnswered503WhileTheOtherIsStillPending() throws Exception {
        start(1);

        CompletableFuture<HttpResponse<String>> first = publish("alice");
        CompletableFuture<MessagePosition> firstAck = nextHandedOver();
        CompletableFuture<HttpResponse<String>> second = publish("bob");
        nextHandedOver().completeExceptionally(
                new RequestPublisher.PublishFailedException(false, "Kafka did not take the request: no leader", null));

        HttpResponse<String> refused = second.get(20, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        JsonNode body = Json.MAPPER.readTree(refused.body());
        assertThat(body.toString()).contains("no leader");
        assertThat(first).isNotDone();
        firstAck.complete(new MessagePosition(0, 1));
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aBatchIsAnsweredOnceEveryRequestOfItIsAcknowledged() throws Exception {
        start(1);

        CompletableFuture<HttpResponse<String>> batch = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + ApiRoutes.PUBLISH_BATCH))
                        .header("Authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"requests\":[{\"user\":\"alice\",\"payload\":1},"
                                + "{\"user\":\"bob\",\"payload\":2}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<MessagePosition> alice = nextHandedOver();
        CompletableFuture<MessagePosition> bob = nextHandedOver();
        alice.complete(new MessagePosition(2, 10));
        assertThat(batch).isNotDone();
        bob.complete(new MessagePosition(0, 4));

        HttpResponse<String> answer = batch.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        List<String> ids = Json.MAPPER.readTree(answer.body()).get("results").findValuesAsText("id");
        assertThat(ids).containsExactly("2-10", "0-4");
    }
}
