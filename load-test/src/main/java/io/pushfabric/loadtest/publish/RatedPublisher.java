package io.pushfabric.loadtest.publish;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.client.PushPublisher;
import io.pushfabric.loadtest.measure.ChannelBook;
import io.pushfabric.loadtest.measure.DeliveryLedger;
import io.pushfabric.loadtest.measure.MicroClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes push requests at a fixed rate through the project's {@link PushPublisher}, open loop: the
 * n-th message of a run is due at {@code start + n / rate}, and its creation time is that due time, not
 * the moment the publisher got round to it. A publisher that falls behind therefore shows up as latency
 * instead of silently lowering the rate (no coordinated omission).
 *
 * <p>Payload: {@code {"g":<n>} or {"b":<n>} or {"c":<n>}, "ph":<phase>, "t":<due time, epoch µs>, "pad":"..."}.
 */
public final class RatedPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RatedPublisher.class);
    private static final long MAX_PARK_NANOS = 1_000_000;

    private static final String CLIENT_ID = "pushfabric-load-test";

    private final PushPublisher[] publishers;
    private final String[] clientIds;
    private final DeliveryLedger ledger;
    private final MicroClock clock;
    private final String pad;
    private final SplittableRandom random = new SplittableRandom(42);
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Whether each request asks for receipts ({@code "receipt":true}); set before a run. */
    private volatile boolean receipts;

    /** Records and requests the producers sent so far (-1 when Kafka's JMX metrics cannot be read). */
    public record Requests(long records, long requests) {
        public Requests minus(Requests before) {
            if (records < 0 || before.records < 0) {
                return new Requests(-1, -1);
            }
            return new Requests(records - before.records, requests - before.requests);
        }

        /** Records per request (every kind of request counts; produce requests are nearly all of them), or -1. */
        public double recordsPerRequest() {
            return records < 0 || requests <= 0 ? -1 : Math.round(100.0 * records / requests) / 100.0;
        }
    }

    /**
     * @param payloadBytes approximate size of the payload JSON; the pad field makes up the difference
     * @param producers    how many producer instances, with which properties
     */
    public RatedPublisher(String bootstrap, String topic, DeliveryLedger ledger, MicroClock clock, int payloadBytes,
                          ProducerSpec producers) {
        this.publishers = new PushPublisher[producers.producers()];
        this.clientIds = new String[publishers.length];
        for (int i = 0; i < publishers.length; i++) {
            clientIds[i] = publishers.length == 1 ? CLIENT_ID : CLIENT_ID + "-" + i;
            Map<String, Object> props = new HashMap<>(producers.properties());
            props.put("client.id", clientIds[i]);
            publishers[i] = PushPublisher.create(bootstrap, topic, props);
        }
        this.ledger = ledger;
        this.clock = clock;
        this.pad = "x".repeat(Math.max(0, payloadBytes - 48));
    }

    /** What to publish: a target client (targeted) or -1 (broadcast), for the n-th message of a step. */
    public interface Mix {
        int targetOf(long n, SplittableRandom random);

        /** Uniformly random targets among {@code audience} clients (indexes into the array). */
        static Mix targeted(int[] audience) {
            return (n, r) -> audience[r.nextInt(audience.length)];
        }

        static Mix broadcasts() {
            return (n, r) -> -1;
        }

        /** Targeted, with every {@code every}-th message a broadcast. */
        static Mix targetedWithBroadcasts(int[] audience, int every) {
            return (n, r) -> n % every == every - 1 ? -1 : audience[r.nextInt(audience.length)];
        }
    }

    /**
     * Publishes {@code rate × duration} messages on this thread, paced by the clock. @return how many it
     * published (fewer only when {@link #stop()} was called)
     *
     * @param users the user id of each client index
     */
    public long run(int phase, double rate, Duration duration, Mix mix, IntFunction<UserId> users) {
        return pace(rate, duration, (n, dueMicros) -> publish(phase, mix.targetOf(n, random), dueMicros, users));
    }

    /**
     * Publishes {@code rate × duration} messages on this thread, each to a uniformly random one of the
     * ledger's channels, paced like {@link #run}. @return how many it published
     */
    public long runChannels(int phase, double rate, Duration duration) {
        int channels = ledger.channels().channels();
        return pace(rate, duration, (n, dueMicros) -> publishToChannel(phase, random.nextInt(channels), dueMicros));
    }

    /** One message of a paced run: the n-th, due at {@code dueMicros}. */
    private interface Step {
        void publish(long n, long dueMicros);
    }

    private long pace(double rate, Duration duration, Step step) {
        long total = Math.round(rate * duration.toNanos() / 1e9);
        double nanosPerMessage = 1e9 / rate;
        long startNanos = System.nanoTime();
        long n = 0;
        while (n < total && !stopped.get()) {
            long due = startNanos + (long) (n * nanosPerMessage);
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(Math.min(due - now, MAX_PARK_NANOS));
                continue;
            }
            step.publish(n, clock.microsAt(due));
            n++;
        }
        return n;
    }

    /** From now on, every request asks for receipts on {@code push-receipts}, to measure what they cost. */
    public void askForReceipts() {
        receipts = true;
    }

    /** Ends a {@link #run} in progress at the next message. */
    public void stop() {
        stopped.set(true);
    }

    public void flush() {
        for (PushPublisher p : publishers) {
            p.flush();
        }
    }

    /** What the producers sent so far, from their {@code producer-metrics} in JMX. */
    public Requests requests() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double records = 0;
        double requests = 0;
        try {
            for (String id : clientIds) {
                ObjectName name = new ObjectName("kafka.producer:type=producer-metrics,client-id=" + id);
                records += ((Number) server.getAttribute(name, "record-send-total")).doubleValue();
                requests += ((Number) server.getAttribute(name, "request-total")).doubleValue();
            }
        } catch (JMException | RuntimeException e) {
            LOG.debug("Producer metrics unavailable: {}", e.toString());
            return new Requests(-1, -1);
        }
        return new Requests(Math.round(records), Math.round(requests));
    }

    @Override
    public void close() {
        for (PushPublisher p : publishers) {
            p.close();
        }
    }

    /** The producer of a key: one key always goes through the same producer, so its order holds. */
    private PushPublisher producerOf(int key) {
        return publishers[Math.floorMod(key, publishers.length)];
    }

    private void publish(int phase, int client, long dueMicros, IntFunction<UserId> users) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        PushRequest request;
        if (client >= 0) {
            int g = ledger.newTargeted(client, phase);
            payload.put("g", g).put("ph", phase).put("t", dueMicros).put("pad", pad);
            request = PushRequest.toUser(users.apply(client), payload).withCreatedAt(dueMicros / 1000)
                    .withReceipt(receipts);
            producerOf(client).publish(request).whenComplete((position, error) -> {
                if (error == null) {
                    ledger.targetedAcked(g);
                } else {
                    ledger.targetedFailed(g);
                    noteError(error);
                }
            });
        } else {
            int b = ledger.newBroadcast(phase);
            payload.put("b", b).put("ph", phase).put("t", dueMicros).put("pad", pad);
            request = PushRequest.broadcast(payload).withCreatedAt(dueMicros / 1000).withReceipt(receipts);
            producerOf(b).publish(request).whenComplete((position, error) -> {
                if (error == null) {
                    ledger.broadcastAcked(b);
                } else {
                    ledger.broadcastFailed(b);
                    noteError(error);
                }
            });
        }
    }

    private void publishToChannel(int phase, int channel, long dueMicros) {
        int k = ledger.newChannelMessage(channel, phase);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("c", k).put("ph", phase).put("t", dueMicros).put("pad", pad);
        PushRequest request = PushRequest.toChannel(ChannelName.of(ChannelBook.name(channel)), payload)
                .withCreatedAt(dueMicros / 1000);
        producerOf(channel).publish(request).whenComplete((position, error) -> {
            if (error == null) {
                ledger.channelAcked(k);
            } else {
                ledger.channelFailed(k);
                noteError(error);
            }
        });
    }

    private void noteError(Throwable error) {
        if (firstError.compareAndSet(null, error.toString())) {
            LOG.warn("Publishing failed (further failures are only counted): {}", error.toString());
        }
    }
}
