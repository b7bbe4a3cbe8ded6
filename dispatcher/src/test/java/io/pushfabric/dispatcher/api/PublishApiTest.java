package io.pushfabric.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.client.KeyPartitions;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.Topics;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.KafkaSettings;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeLeases;
import io.pushfabric.registry.RedisRegistries;
import io.pushfabric.registry.RedisSettings;
import io.pushfabric.registry.SessionRoute;
import io.pushfabric.testkit.TestInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API on real Kafka and Redis, every status it answers: what a 200 says is in the log at that
 * position, with the routing key and murmur2 partition every producer uses; each 4xx names its reason; a
 * missing topic (the broker cannot take the request) is a 503 with {@code Retry-After}.
 */
class PublishApiTest {
    private static final String PUBLISHER = "publisher-key-7c1e";
    private static final String WATCHER = "watcher-key-55aa";
    /** Publish keys used only by the 503 test, so the frozen buckets of the 429 test do not touch them. */
    private static final String SINGLE_503 = "single-503-key-91d0";
    private static final String BATCH_503 = "batch-503-key-e4b2";
    private static final int PARTITIONS = 3;
    private static final int MAX_PAYLOAD = 1024;

    private static Topics topics;
    private static RedisRegistries redis;
    private static SimpleMeterRegistry meters;
    private static PublishApi api;
    private static PublishApi tight;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        String base = TestInfra.uniqueName("api");
        topics = Topics.withBase(base);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topics.requests(), PARTITIONS, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        redis = RedisRegistries.connect(new RedisSettings(TestInfra.redisUri(), TestInfra.uniqueName("api") + ":"));
        meters = new SimpleMeterRegistry();
        String keys = ApiKeys.entry("backend", EnumSet.of(ApiScope.PUBLISH, ApiScope.PRESENCE), PUBLISHER) + ","
                + ApiKeys.entry("ops", Set.of(ApiScope.PRESENCE), WATCHER) + ","
                + ApiKeys.entry("single", Set.of(ApiScope.PUBLISH), SINGLE_503) + ","
                + ApiKeys.entry("batch", Set.of(ApiScope.PUBLISH), BATCH_503);
        api = PublishApi.start(settings(keys, 1_000, 1_000, 5, Duration.ofSeconds(10)),
                new KafkaSettings(TestInfra.kafkaBootstrap(), topics, Map.of()), MAX_PAYLOAD, redis.routes(),
                redis.nodes(), redis.channelMembers(), meters, Clock.systemUTC());
        // Its own instance: a topic that does not exist (the broker creates none), a short publish timeout, and a
        // rate of 1/s with a burst of 2 on a clock that never moves, so nothing refills during the test.
        Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        tight = PublishApi.start(settings(keys, 1, 2, 2, Duration.ofMillis(1_500)),
                new KafkaSettings(TestInfra.kafkaBootstrap(), Topics.withBase(TestInfra.uniqueName("missing")), Map.of()),
                MAX_PAYLOAD, redis.routes(), redis.nodes(), redis.channelMembers(), new SimpleMeterRegistry(), frozen);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static ApiSettings settings(String keys, int rate, int burst, int maxBatch, Duration timeout) {
        return new ApiSettings("127.0.0.1", 0, ApiKeys.parse(keys, false), 4096, maxBatch, rate, burst, timeout, 4,
                new ChannelPresenceLimit(2, 3));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {api, tight, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the JVM ends after the tests
            }
        }
    }

    @Nested
    class Publish {
        @Test
        void aSingleRequestIsInTheLogAtTheAnsweredPositionKeyedAndPartitionedLikeEveryProducer() throws Exception {
            String user = "alice-" + TestInfra.uniqueName("u");

            HttpResponse<String> response = post(api, "/v1/publish", PUBLISHER,
                    "{\"user\":\"" + user + "\",\"messageId\":\"m-1\",\"payload\":{\"text\":\"hi\"}}");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response);
            int partition = body.path("partition").asInt();
            long offset = body.path("offset").asLong();
            assertThat(partition).isEqualTo(KeyPartitions.of(user, PARTITIONS));
            assertThat(body.path("id").asText()).isEqualTo(partition + "-" + offset);
            assertThat(body.path("messageId").asText()).isEqualTo("m-1");
            ConsumerRecord<String, byte[]> record = read(partition, offset);
            assertThat(record.key()).isEqualTo(user);
            PushRequest request = new PushRequestCodec().decode(record.key(), record.value());
            assertThat(request.user()).isEqualTo(UserId.of(user));
            assertThat(request.messageId()).isEqualTo("m-1");
            assertThat(request.createdAt()).isNotNull();
            assertThat(request.payload().tree()).isEqualTo(Json.MAPPER.readTree("{\"text\":\"hi\"}"));
            assertThat(meters.counter("pushfabric.api.requests", "endpoint", "publish", "status", "200").count())
                    .isGreaterThanOrEqualTo(1);
        }

        /** The HTTP API used to read the body into a tree and write it anew: 1.10 reached clients as 1.1. */
        @Test
        void thePayloadIsPublishedByteForByteAsSentSingleAndInABatch() throws Exception {
            String user = "dora-" + TestInfra.uniqueName("u");
            String single = "{ \"n\" : 1.10, \"big\": 0.12345678901234567890123, \"s\":\"caf\\u00e9 \u00e9\" }";
            String first = "[ 1e2 , -0.0 ]";
            String second = "12345678901234567890123";

            JsonNode one = json(post(api, "/v1/publish", PUBLISHER,
                    "{\"user\":\"" + user + "\",\"payload\":" + single + "}"));
            JsonNode batch = json(post(api, "/v1/publish/batch", PUBLISHER, "{\"requests\": [ {\"user\":\"" + user
                    + "\",\"payload\": " + first + " } , {\"payload\":" + second + ",\"user\":\"" + user + "\"}]}"));

            assertThat(payloadAt(one)).isEqualTo(single);
            assertThat(payloadAt(batch.path("results").get(0))).isEqualTo(first);
            assertThat(payloadAt(batch.path("results").get(1))).isEqualTo(second);
        }

        private String payloadAt(JsonNode position) throws Exception {
            ConsumerRecord<String, byte[]> record = read(position.path("partition").asInt(), position.path("offset").asLong());
            return new PushRequestCodec().decode(record.key(), record.value()).payload().toString();
        }

        @Test
        void aBatchIsPublishedInOrderAndAnsweredWithEveryPosition() throws Exception {
            String user = "bob-" + TestInfra.uniqueName("u");

            HttpResponse<String> response = post(api, "/v1/publish/batch", PUBLISHER, "{\"requests\":["
                    + "{\"user\":\"" + user + "\",\"payload\":1},"
                    + "{\"broadcast\":true,\"payload\":\"all\"},"
                    + "{\"v\":1,\"user\":\"" + user + "\",\"payload\":2}]}");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode results = json(response).path("results");
            assertThat(results).hasSize(3);
            assertThat(results.get(0).path("partition").asInt()).isEqualTo(KeyPartitions.of(user, PARTITIONS));
            assertThat(results.get(1).path("partition").asInt())
                    .isEqualTo(KeyPartitions.of(RoutingKeys.BROADCAST, PARTITIONS));
            assertThat(results.get(2).path("partition").asInt()).isEqualTo(results.get(0).path("partition").asInt());
            assertThat(results.get(2).path("offset").asLong()).isGreaterThan(results.get(0).path("offset").asLong());
            ConsumerRecord<String, byte[]> broadcast = read(results.get(1).path("partition").asInt(),
                    results.get(1).path("offset").asLong());
            assertThat(broadcast.key()).isEqualTo(RoutingKeys.BROADCAST);
        }
    }

    @Nested
    class BadInput {
        @Test
        void eachKindOfBadRequestIs400WithTheDispatchersReason() throws Exception {
            assertProblem(post(api, "/v1/publish", PUBLISHER, "{not json"), 400, "bad_request", "NOT_JSON");
            assertProblem(post(api, "/v1/publish", PUBLISHER, ""), 400, "bad_request", "NOT_JSON");
            assertProblem(post(api, "/v1/publish", PUBLISHER, "{\"payload\":1}"), 400, "bad_request", "BAD_SCHEMA");
            assertProblem(post(api, "/v1/publish", PUBLISHER, "{\"user\":\"*\",\"payload\":1}"), 400, "bad_request",
                    "BAD_SCHEMA");
            assertProblem(post(api, "/v1/publish", PUBLISHER, "{\"user\":\"a\"}"), 400, "bad_request", "BAD_SCHEMA");
            assertProblem(post(api, "/v1/publish", PUBLISHER, "{\"v\":2,\"user\":\"a\",\"payload\":1}"), 400,
                    "bad_request", "UNSUPPORTED_VERSION");
            assertProblem(post(api, "/v1/publish/batch", PUBLISHER, "[]"), 400, "bad_request", "BAD_SCHEMA");
            assertProblem(post(api, "/v1/publish/batch", PUBLISHER, "{\"requests\":[]}"), 400, "bad_request",
                    "EMPTY_BATCH");
            assertProblem(get(api, "/v1/presence/" + "x".repeat(300), WATCHER), 400, "bad_request", "BAD_USER");
        }

        /** The same words for one request and a batch, about the body: not the codec's "record value". */
        @Test
        void aBodyInUtf16IsNotJsonSayingTheBodyMustBeUtf8() throws Exception {
            for (String[] sent : List.of(new String[] {"/v1/publish", "{\"user\":\"a\",\"payload\":1}"},
                    new String[] {"/v1/publish/batch", "{\"requests\":[{\"user\":\"a\",\"payload\":1}]}"})) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(api, sent[0]))
                        .header("Authorization", "Bearer " + PUBLISHER)
                        .POST(HttpRequest.BodyPublishers.ofString(sent[1], StandardCharsets.UTF_16)).build(),
                        HttpResponse.BodyHandlers.ofString());

                JsonNode body = assertProblem(response, 400, "bad_request", "NOT_JSON");
                assertThat(body.path("message").asText()).as(sent[0])
                        .isEqualTo("the body reads as UTF-16 or UTF-32; it must be UTF-8 JSON");
            }
        }

        @Test
        void oneBadRequestRejectsTheWholeBatchNamingItsIndexAndPublishesNothing() throws Exception {
            String user = "carol-" + TestInfra.uniqueName("u");
            String good = "{\"user\":\"" + user + "\",\"payload\":1}";

            HttpResponse<String> response = post(api, "/v1/publish/batch", PUBLISHER,
                    "{\"requests\":[" + good + ",{\"user\":\"" + user + "\",\"expiresAt\":-5,\"payload\":1}]}");

            JsonNode body = assertProblem(response, 400, "bad_request", "BAD_SCHEMA");
            assertThat(body.path("index").asInt()).isEqualTo(1);
            assertThat(body.path("message").asText()).startsWith("requests[1]: ").contains("expiresAt");
            assertThat(endOffset(KeyPartitions.of(user, PARTITIONS)))
                    .as("nothing of the rejected batch is in the log; the next publish lands where it would have")
                    .isEqualTo(json(post(api, "/v1/publish", PUBLISHER, good)).path("offset").asLong());
        }

        @Test
        void tooLargeIs413ForTheBodyThePayloadAndTheBatch() throws Exception {
            assertProblem(post(api, "/v1/publish", PUBLISHER, "{\"user\":\"a\",\"payload\":\"" + "x".repeat(5_000) + "\"}"),
                    413, "too_large", "BODY_TOO_LARGE");
            assertProblem(post(api, "/v1/publish", PUBLISHER, "{\"user\":\"a\",\"payload\":\"" + "x".repeat(2_000) + "\"}"),
                    413, "too_large", "PAYLOAD_TOO_LARGE");
            assertProblem(post(api, "/v1/publish/batch", PUBLISHER,
                    "{\"requests\":[" + "{\"user\":\"a\",\"payload\":1},".repeat(5) + "{\"user\":\"a\",\"payload\":1}]}"),
                    413, "too_large", "BATCH_TOO_LARGE");
        }

        @Test
        void unknownPathsAndMethodsAreAnsweredInJson() throws Exception {
            assertProblem(post(api, "/v1/nothing", PUBLISHER, "{}"), 404, "not_found", null);
            assertProblem(get(api, "/v1/publish", PUBLISHER), 405, "method_not_allowed", null);
        }
    }

    @Nested
    class Auth {
        @Test
        void withoutAKeyOrWithAnUnknownOneTheAnswerIs401() throws Exception {
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(uri(api, "/v1/publish"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"a\",\"payload\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertProblem(none, 401, "unauthorized", null);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertProblem(post(api, "/v1/publish", PUBLISHER + "-wrong", "{\"user\":\"a\",\"payload\":1}"), 401,
                    "unauthorized", null);
            assertProblem(get(api, "/v1/presence/alice", "nope"), 401, "unauthorized", null);
        }

        @Test
        void aKnownKeyWithoutTheScopeIs403() throws Exception {
            JsonNode body = assertProblem(post(api, "/v1/publish", WATCHER, "{\"user\":\"a\",\"payload\":1}"), 403,
                    "forbidden", null);

            assertThat(body.path("message").asText()).contains("'ops'").contains("'publish'");
        }
    }

    @Nested
    class Limits {
        @Test
        void overItsRateAKeyGets429WithRetryAfter() throws Exception {
            String key = PUBLISHER;
            assertThat(get(tight, "/v1/presence/alice", key).statusCode()).isEqualTo(200);
            assertThat(get(tight, "/v1/presence/alice", key).statusCode()).isEqualTo(200);

            HttpResponse<String> limited = get(tight, "/v1/presence/alice", key);

            assertProblem(limited, 429, "rate_limited", null);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(get(tight, "/v1/presence/alice", WATCHER).statusCode())
                    .as("each key has its own bucket").isEqualTo(200);
        }

        @Test
        void whenKafkaCannotTakeTheRequestTheAnswerIs503WithRetryAfter() throws Exception {
            HttpResponse<String> single = post(tight, "/v1/publish", SINGLE_503, "{\"user\":\"a\",\"payload\":1}");
            HttpResponse<String> batch = post(tight, "/v1/publish/batch", BATCH_503,
                    "{\"requests\":[{\"user\":\"a\",\"payload\":1},{\"user\":\"b\",\"payload\":2}]}");

            JsonNode one = assertProblem(single, 503, "unavailable", null);
            assertThat(single.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(one.path("message").asText()).contains("not present in metadata");
            JsonNode both = assertProblem(batch, 503, "unavailable", null);
            assertThat(batch.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(both.path("results")).hasSize(2);
            assertThat(both.path("results").findValuesAsText("error")).containsExactly("unavailable", "unavailable");
        }
    }

    @Nested
    class Presence {
        @Test
        void presenceCountsSessionsPerLiveNode() throws Exception {
            String user = "dave-" + TestInfra.uniqueName("u");
            NodeId live = NodeId.of(TestInfra.uniqueName("node"));
            new NodeLeases(redis.nodes()).beat(new NodeInfo(live, "h:1", 1L, 2, 1L), Duration.ofMinutes(1));

            JsonNode before = json(get(api, "/v1/presence/" + user, WATCHER));
            redis.routes().register(new SessionRoute(UserId.of(user), "s1", live));
            redis.routes().register(new SessionRoute(UserId.of(user), "s2", live));
            redis.routes().register(new SessionRoute(UserId.of(user), "s3", NodeId.of(TestInfra.uniqueName("dead"))));
            JsonNode after = json(get(api, "/v1/presence/" + user, WATCHER));

            assertThat(before).isEqualTo(Json.MAPPER.readTree(
                    "{\"user\":\"" + user + "\",\"online\":false,\"sessions\":0,\"nodes\":[]}"));
            assertThat(after).isEqualTo(Json.MAPPER.readTree("{\"user\":\"" + user + "\",\"online\":true,\"sessions\":2,"
                    + "\"nodes\":[{\"node\":\"" + live.value() + "\",\"sessions\":2}]}"));
        }

        /** Limits here: 2 by default, at most 3 ({@link #settings}). */
        @Test
        void channelPresenceListsTheMembersOnLiveNodesUpToTheLimit() throws Exception {
            ChannelName channel = ChannelName.of("dm:" + TestInfra.uniqueName("talk") + "#alice,bob");
            String path = "/v1/channels/" + channel.value().replace("#", "%23") + "/presence";
            NodeId live = NodeId.of(TestInfra.uniqueName("node"));
            new NodeLeases(redis.nodes()).beat(new NodeInfo(live, "h:1", 1L, 2, 1L), Duration.ofMinutes(1));
            assertThat(json(get(api, path, WATCHER))).isEqualTo(Json.MAPPER.readTree("{\"channel\":\"" + channel.value()
                    + "\",\"members\":[],\"truncated\":false,\"limit\":2}"));

            redis.channelMembers().join(channel, live, UserId.of("alice"));
            redis.channelMembers().join(channel, live, UserId.of("alice"));
            redis.channelMembers().join(channel, live, UserId.of("bob"));
            redis.channelMembers().join(channel, NodeId.of(TestInfra.uniqueName("dead")), UserId.of("carol"));
            redis.channelMembers().join(channel, live, UserId.of("dave"));

            assertThat(json(get(api, path + "?limit=3", WATCHER))).isEqualTo(Json.MAPPER.readTree("{\"channel\":\""
                    + channel.value() + "\",\"members\":[{\"user\":\"alice\",\"sessions\":2},"
                    + "{\"user\":\"bob\",\"sessions\":1},{\"user\":\"dave\",\"sessions\":1}],"
                    + "\"truncated\":false,\"limit\":3}"));
            JsonNode capped = json(get(api, path, WATCHER));
            assertThat(capped.path("members")).hasSize(2);
            assertThat(capped.path("truncated").asBoolean()).isTrue();

            assertProblem(get(api, path + "?limit=4", WATCHER), 400, "bad_request", "BAD_LIMIT");
            assertProblem(get(api, path + "?limit=0", WATCHER), 400, "bad_request", "BAD_LIMIT");
            assertProblem(get(api, "/v1/channels/%23x/presence", WATCHER), 400, "bad_request", "BAD_CHANNEL");
            assertProblem(get(api, path, SINGLE_503), 403, "forbidden", null);
        }
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String error, String reason)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).isNotBlank();
        if (reason != null) {
            assertThat(body.path("reason").asText()).isEqualTo(reason);
        }
        return body;
    }

    private static URI uri(PublishApi to, String path) {
        return URI.create("http://127.0.0.1:" + to.port() + path);
    }

    private static HttpResponse<String> post(PublishApi to, String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(to, path)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(PublishApi to, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(to, path)).header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static ConsumerRecord<String, byte[]> read(int partition, long offset) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topics.requests(), partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
            throw new AssertionError("no record at " + partition + "-" + offset);
        }
    }

    private static long endOffset(int partition) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topics.requests(), partition);
            return consumer.endOffsets(List.of(tp), Duration.ofSeconds(20)).get(tp);
        }
    }
}
