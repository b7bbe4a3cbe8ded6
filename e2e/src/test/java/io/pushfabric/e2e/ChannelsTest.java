package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.connector.auth.AuthSettings;
import io.pushfabric.connector.auth.TokenIssuer;
import io.pushfabric.contracts.AdminCommand;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.Env;
import io.pushfabric.contracts.frames.ServerFrame;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Channels end to end: two connectors, one dispatcher, real Kafka and Redis. */
class ChannelsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Fabric fabric;
    private static TokenIssuer tokens;

    @BeforeAll
    static void start() {
        fabric = Fabric.start(2, 1, Map.of(
                "PUSH_CHANNEL_NAMESPACES", "chat=open,dm=user",
                "PUSH_MAX_CHANNELS_PER_SESSION", "60",
                "PUSH_MAX_CHANNEL_SUBSCRIBERS_PER_NODE", "3",
                // The tests send dozens of subscribe frames at once; the default budget would close them 1008.
                "PUSH_CLIENT_FRAMES_PER_SECOND", "10000"));
        tokens = new TokenIssuer(AuthSettings.fromEnv(new Env(fabric.env)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    private static ObjectNode payload(String text) {
        return Json.MAPPER.createObjectNode().put("text", text);
    }

    private static CompletableFuture<MessagePosition> publish(String channel, String text) {
        return fabric.publisher().publish(PushRequest.toChannel(ChannelName.of(channel), payload(text)));
    }

    private static void send(WsClient c, String frame) {
        c.send(frame);
    }

    private static String subscribe(String channel) {
        return "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}";
    }

    private static ServerFrame.Subscribed subscribed(WsClient c, String channel) {
        await().atMost(WAIT).until(() -> subscribedOrNull(c, channel) != null);
        return subscribedOrNull(c, channel);
    }

    private static ServerFrame.Subscribed subscribedOrNull(WsClient c, String channel) {
        for (ServerFrame f : c.frames()) {
            if (f instanceof ServerFrame.Subscribed s && s.channel().value().equals(channel)) {
                return s;
            }
        }
        return null;
    }

    private static ServerFrame.Subscribed subscribeAndWait(WsClient c, String channel) {
        send(c, subscribe(channel));
        return subscribed(c, channel);
    }

    /** The texts of the channel's pushes, in arrival order. */
    private static List<String> texts(WsClient c, String channel) {
        return c.pushes().stream().filter(p -> p.request().isChannel() && p.request().channel().value().equals(channel))
                .map(p -> p.request().payload().tree().path("text").asText()).toList();
    }

    private static List<ServerFrame.ChannelRefused> refusals(WsClient c) {
        return c.frames().stream().filter(ServerFrame.ChannelRefused.class::isInstance)
                .map(ServerFrame.ChannelRefused.class::cast).toList();
    }

    @Test
    void channelMessagesReachEverySubscriberOnBothConnectorsInPublishOrderOncePerSession() {
        String channel = "chat:everyone";
        List<WsClient> subscribers = List.of(
                fabric.connectWelcomed(0, "ann", null), fabric.connectWelcomed(1, "ben", null),
                fabric.connectWelcomed(0, "cat", null), fabric.connectWelcomed(1, "cat", null));
        WsClient outsider = fabric.connectWelcomed(0, "dan", null);
        subscribers.forEach(c -> subscribeAndWait(c, channel));
        List<String> expected = new ArrayList<>();
        List<CompletableFuture<MessagePosition>> acks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("m-" + i);
            acks.add(publish(channel, "m-" + i));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        fabric.publisher().publish(PushRequest.toUser(UserId.of("dan"), payload("sentinel"))).join();

        for (WsClient c : subscribers) {
            await().atMost(WAIT).until(() -> texts(c, channel).size() >= 50);
            assertThat(texts(c, channel)).containsExactlyElementsOf(expected);
            assertThat(c.pushes()).allSatisfy(p -> assertThat(p.request().channel()).isEqualTo(ChannelName.of(channel)));
        }
        await().atMost(WAIT).until(() -> !outsider.pushes().isEmpty());
        assertThat(outsider.pushes()).extracting(p -> p.request().payload().tree().path("text").asText()).containsExactly("sentinel");
        subscribers.forEach(WsClient::close);
        outsider.close();
    }

    /** The channel route cache of the dispatcher is warmed with "nobody subscribes" for every channel first. */
    @Test
    void subscribeThenImmediatelyPublishNeverMissesAcross1000Subscriptions() {
        int clients = 20;
        int perClient = 50;
        double offlineBefore = fabric.dispatched("offline");
        List<CompletableFuture<MessagePosition>> warm = new ArrayList<>();
        for (int i = 0; i < clients * perClient; i++) {
            warm.add(publish("chat:race-" + i, "warm"));
        }
        CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();
        await().atMost(WAIT).until(() -> fabric.dispatched("offline") >= offlineBefore + clients * perClient);

        List<WsClient> racers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            WsClient client = WsClient.connect(fabric.http, fabric.wsUrl(c % 2), fabric.token("racer-" + c), null,
                    frame -> {
                        if (frame instanceof ServerFrame.Subscribed s) {
                            publish(s.channel().value(), "after-subscribed");
                        }
                    }, () -> { }).join();
            racers.add(client);
        }
        for (int c = 0; c < clients; c++) {
            WsClient client = racers.get(c);
            await().atMost(WAIT).until(client::isWelcomed);
            for (int k = 0; k < perClient; k++) {
                send(client, subscribe("chat:race-" + (c * perClient + k)));
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                for (int k = 0; k < perClient; k++) {
                    String channel = "chat:race-" + (c * perClient + k);
                    if (!texts(racers.get(c), channel).contains("after-subscribed")) {
                        missing.add(channel);
                    }
                }
            }
            assertThat(missing).as("channels whose message published right after 'subscribed' never came").isEmpty();
        });
        for (WsClient client : racers) {
            assertThat(client.pushes()).as("nothing from before the subscription, nothing twice").hasSize(perClient)
                    .allSatisfy(p -> assertThat(p.request().payload().tree().path("text").asText()).isEqualTo("after-subscribed"));
            assertThat(refusals(client)).isEmpty();
            client.close();
        }
    }

    @Test
    void resumeOnTheOtherNodeReplaysExactlyTheMissedChannelMessagesThenLive() {
        String channel = "chat:resume";
        WsClient first = fabric.connectWelcomed(0, "eve", null);
        ServerFrame.Subscribed confirmed = subscribeAndWait(first, channel);
        for (int i = 0; i < 5; i++) {
            publish(channel, "before-" + i).join();
        }
        await().atMost(WAIT).until(() -> texts(first, channel).size() == 5);
        // The client's position: the channel's partition, after the last push it got.
        List<ServerFrame.Push> got = first.pushes();
        long next = got.get(got.size() - 1).position().offset() + 1;
        int partition = got.get(0).position().partition();
        assertThat(partition).isEqualTo(confirmed.position().positions().keySet().iterator().next());
        String position = confirmed.position().topicId() + "," + partition + ":" + next;
        String userCursor = first.cursor();
        first.close();
        await().atMost(WAIT).until(first::isClosed);

        List<String> missed = new ArrayList<>();
        List<CompletableFuture<MessagePosition>> acks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            missed.add("missed-" + i);
            acks.add(publish(channel, "missed-" + i));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();

        WsClient second = fabric.connectWelcomed(1, "eve", userCursor);
        assertThat(second.welcome().recovered()).isTrue();
        send(second, "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"position\":\"" + position + "\"}");
        ServerFrame.Subscribed resumed = subscribed(second, channel);
        assertThat(resumed.recovered()).isTrue();
        assertThat(resumed.replayed()).isEqualTo(200);
        List<String> live = List.of("live-0", "live-1");
        live.forEach(t -> publish(channel, t).join());
        List<String> all = new ArrayList<>(missed);
        all.addAll(live);
        await().atMost(WAIT).until(() -> texts(second, channel).size() >= all.size());
        assertThat(texts(second, channel)).containsExactlyElementsOf(all);
        assertThat(second.pushes()).allSatisfy(p -> assertThat(p.node().value()).isEqualTo(fabric.nodeId(1)));
        second.close();
    }

    @Test
    void tokenChannelsAreJoinedAtConnectAndRecoveredOnTheOtherNode() {
        String channel = "news";
        String token = tokens.issueWithChannels(UserId.of("fay"), Duration.ofHours(1), List.of(channel));
        WsClient first = WsClient.connect(fabric.http, fabric.wsUrl(0), token, null).join();
        ServerFrame.Subscribed confirmed = subscribed(first, channel);
        assertThat(confirmed.recovered()).isTrue();
        publish(channel, "first").join();
        await().atMost(WAIT).until(() -> texts(first, channel).size() == 1);
        ServerFrame.Push last = first.pushes().get(0);
        String position = confirmed.position().topicId() + "," + last.position().partition() + ":"
                + (last.position().offset() + 1);
        first.close();
        await().atMost(WAIT).until(first::isClosed);
        publish(channel, "while-away").join();

        // The channels connect parameter, URL-encoded JSON, appended after the token.
        String channels = URLEncoder.encode("{\"" + channel + "\":\"" + position + "\"}", StandardCharsets.UTF_8);
        WsClient second = WsClient.connect(fabric.http, fabric.wsUrl(1), token + "&channels=" + channels, null).join();
        ServerFrame.Subscribed resumed = subscribed(second, channel);
        assertThat(resumed.recovered()).isTrue();
        assertThat(resumed.replayed()).isEqualTo(1);
        await().atMost(WAIT).until(() -> texts(second, channel).size() == 1);
        assertThat(texts(second, channel)).containsExactly("while-away");
        second.close();
    }

    @Test
    void unsubscribeStopsDelivery() {
        String channel = "chat:leaving";
        WsClient c = fabric.connectWelcomed(1, "gus", null);
        subscribeAndWait(c, channel);
        publish(channel, "while-in").join();
        await().atMost(WAIT).until(() -> texts(c, channel).size() == 1);

        send(c, "{\"type\":\"unsubscribe\",\"channel\":\"" + channel + "\"}");
        await().atMost(WAIT).until(() -> c.frames().stream().anyMatch(ServerFrame.Unsubscribed.class::isInstance));
        publish(channel, "after-leaving").join();
        fabric.publisher().publish(PushRequest.toUser(UserId.of("gus"), payload("sentinel"))).join();
        await().atMost(WAIT).until(() -> c.pushes().size() == 2);

        assertThat(c.pushes()).extracting(p -> p.request().payload().tree().path("text").asText())
                .containsExactly("while-in", "sentinel");
        c.close();
    }

    @Test
    void theBackendSubscribesAndUnsubscribesEverySessionOfAUser() throws Exception {
        String channel = "ops:alerts";
        WsClient phone = fabric.connectWelcomed(0, "hal", null);
        WsClient laptop = fabric.connectWelcomed(1, "hal", null);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(fabric.topics.control(), null,
                    AdminCommand.subscribeUser(UserId.of("hal"), ChannelName.of(channel)).encode())).get();
            subscribed(phone, channel);
            subscribed(laptop, channel);
            publish(channel, "alert").join();
            await().atMost(WAIT).until(() -> texts(phone, channel).size() == 1 && texts(laptop, channel).size() == 1);

            producer.send(new ProducerRecord<>(fabric.topics.control(), null,
                    AdminCommand.unsubscribeUser(UserId.of("hal"), ChannelName.of(channel)).encode())).get();
            await().atMost(WAIT).until(() -> phone.frames().contains(new ServerFrame.Unsubscribed(ChannelName.of(channel), "server"))
                    && laptop.frames().contains(new ServerFrame.Unsubscribed(ChannelName.of(channel), "server")));
        }
        publish(channel, "after").join();
        fabric.publisher().publish(PushRequest.toUser(UserId.of("hal"), payload("sentinel"))).join();
        await().atMost(WAIT).until(() -> phone.pushes().size() == 2 && laptop.pushes().size() == 2);
        assertThat(texts(phone, channel)).containsExactly("alert");
        assertThat(texts(laptop, channel)).containsExactly("alert");
        phone.close();
        laptop.close();
    }

    @Test
    void everyRefusalNamesItsReasonAndLeavesTheSessionWorking() {
        WsClient ivy = fabric.connectWelcomed(0, "ivy", null);
        send(ivy, subscribe("a b"));                                  // bad_channel
        send(ivy, subscribe("secret:plans"));                         // not_allowed: namespace not open
        send(ivy, subscribe("dm:talk#bob,carl"));                     // not_allowed: user rule, not ivy's
        send(ivy, "{\"type\":\"subscribe\",\"channel\":\"secret:plans\",\"token\":\""
                + tokens.issueSubscription(UserId.of("ivy"), "secret:other", Duration.ofMinutes(5)) + "\"}"); // bad_token
        send(ivy, "{\"type\":\"subscribe\",\"channel\":\"secret:plans\",\"token\":\""
                + tokens.issueSubscription(UserId.of("bob"), "secret:plans", Duration.ofMinutes(5)) + "\"}");  // bad_token
        send(ivy, "{\"type\":\"subscribe\",\"channel\":\"secret:plans\",\"token\":\"garbage\"}");             // bad_token
        send(ivy, "{\"type\":\"unsubscribe\",\"channel\":\"chat:never\"}");                                  // not_subscribed
        await().atMost(WAIT).until(() -> refusals(ivy).size() == 7);
        assertThat(refusals(ivy)).extracting(ServerFrame.ChannelRefused::reason).containsExactly(
                "bad_channel", "not_allowed", "not_allowed", "bad_token", "bad_token", "bad_token", "not_subscribed");
        assertThat(refusals(ivy)).extracting(ServerFrame.ChannelRefused::code).containsExactly(
                "subscribe_refused", "subscribe_refused", "subscribe_refused", "subscribe_refused", "subscribe_refused",
                "subscribe_refused", "unsubscribe_refused");

        // Allowed: a valid subscription token, the user rule, an open namespace; then a repeat is refused.
        send(ivy, "{\"type\":\"subscribe\",\"channel\":\"secret:plans\",\"token\":\""
                + tokens.issueSubscription(UserId.of("ivy"), "secret:plans", Duration.ofMinutes(5)) + "\"}");
        subscribed(ivy, "secret:plans");
        subscribeAndWait(ivy, "dm:talk#ivy,bob");
        subscribeAndWait(ivy, "chat:full");
        send(ivy, subscribe("chat:full"));
        await().atMost(WAIT).until(() -> refusals(ivy).size() == 8);
        assertThat(refusals(ivy).get(7).reason()).isEqualTo("already_subscribed");

        // PUSH_MAX_CHANNEL_SUBSCRIBERS_PER_NODE=3 on node 0: the fourth session there is refused.
        List<WsClient> others = List.of(fabric.connectWelcomed(0, "jon", null), fabric.connectWelcomed(0, "kim", null),
                fabric.connectWelcomed(0, "lou", null));
        subscribeAndWait(others.get(0), "chat:full");
        subscribeAndWait(others.get(1), "chat:full");
        send(others.get(2), subscribe("chat:full"));
        await().atMost(WAIT).until(() -> refusals(others.get(2)).size() == 1);
        assertThat(refusals(others.get(2)).get(0).reason()).isEqualTo("channel_full");

        // PUSH_MAX_CHANNELS_PER_SESSION=60: ivy is in 3, so 57 more are accepted and the next is refused.
        for (int i = 0; i < 57; i++) {
            send(ivy, subscribe("chat:many-" + i));
        }
        await().atMost(WAIT).until(() -> ivy.frames().stream().filter(ServerFrame.Subscribed.class::isInstance).count() == 60);
        send(ivy, subscribe("chat:one-too-many"));
        await().atMost(WAIT).until(() -> refusals(ivy).size() == 9);
        assertThat(refusals(ivy).get(8).reason()).isEqualTo("too_many_channels");

        // Nothing else changed: the sessions are open and get their messages.
        publish("chat:full", "still-here").join();
        await().atMost(WAIT).until(() -> texts(ivy, "chat:full").size() == 1 && texts(others.get(0), "chat:full").size() == 1);
        assertThat(texts(others.get(2), "chat:full")).isEmpty();
        assertThat(ivy.isClosed()).isFalse();
        ivy.close();
        others.forEach(WsClient::close);
    }
}
