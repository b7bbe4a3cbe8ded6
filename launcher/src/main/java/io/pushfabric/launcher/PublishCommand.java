package io.pushfabric.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.client.PushPublisher;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pushfabric publish}: appends one push request and prints its message id. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish one push request to a user, a channel or everyone; prints its message id (partition-offset).")
final class PublishCommand implements Callable<Integer> {
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    /** How long a publish may wait for Kafka in total before it is reported as failed. */
    private static final int DELIVERY_TIMEOUT_MS = 10_000;
    private static final String HINT = "Is `./pushfabric dev` running, or does --bootstrap point at your Kafka"
            + " (and --topic at an existing topic)?";

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = DEFAULT_BOOTSTRAP,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    private String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "push-requests",
            description = "Requests topic (default: ${DEFAULT-VALUE}).")
    private String topic;

    @ArgGroup(multiplicity = "1")
    private Target target;

    static final class Target {
        @Option(names = "--user", paramLabel = "USER", required = true, description = "Deliver to every session of USER.")
        private String user;

        @Option(names = "--broadcast", required = true, description = "Deliver to every connected session.")
        private boolean broadcast;

        @Option(names = "--channel", paramLabel = "CHANNEL", required = true,
                description = "Deliver to every session subscribed to CHANNEL.")
        private String channel;
    }

    @Option(names = "--message-id", paramLabel = "ID",
            description = "Producer message id; repeats within the dedupe window are delivered once.")
    private String messageId;

    @Option(names = "--ttl-ms", paramLabel = "MILLIS",
            description = "Expire the message this long after now: not delivered or replayed after that.")
    private Long ttlMillis;

    @Parameters(index = "0", paramLabel = "JSON", description = "The payload, any JSON value, e.g. '{\"text\":\"hello\"}'.")
    private String payload;

    @Override
    public Integer call() throws InterruptedException {
        PushRequest request = request(System.currentTimeMillis());
        Map<String, Object> limits = Map.of(
                "max.block.ms", DELIVERY_TIMEOUT_MS,
                "request.timeout.ms", DELIVERY_TIMEOUT_MS - 1_000,
                "delivery.timeout.ms", DELIVERY_TIMEOUT_MS);
        try (PushPublisher publisher = PushPublisher.create(bootstrap, topic, limits)) {
            MessagePosition position = publisher.publish(request)
                    .get(DELIVERY_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
            spec.commandLine().getOut().println(position.id());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ExecutionException e) {
            spec.commandLine().getErr().println("pushfabric publish: Kafka at " + bootstrap + " did not take the message: "
                    + e.getCause().getMessage() + "\n" + HINT);
            return 1;
        } catch (TimeoutException e) {
            spec.commandLine().getErr().println("pushfabric publish: no answer from Kafka at " + bootstrap + "\n" + HINT);
            return 1;
        }
    }

    private PushRequest request(long nowMillis) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(),
                    "The payload is not valid JSON (" + e.getOriginalMessage() + "): " + payload
                            + "\nQuote it for the shell, e.g. '{\"text\":\"hello\"}'");
        }
        if (json == null || json.isMissingNode()) {
            throw new ParameterException(spec.commandLine(), "The payload is empty; give a JSON value, e.g. '{\"text\":\"hello\"}'");
        }
        try {
            PushRequest request = target.broadcast ? PushRequest.broadcast(json)
                    : target.channel != null ? PushRequest.toChannel(ChannelName.of(target.channel), json)
                    : PushRequest.toUser(UserId.of(target.user), json);
            if (messageId != null) {
                request = request.withMessageId(messageId);
            }
            if (ttlMillis != null) {
                if (ttlMillis <= 0) {
                    throw new IllegalArgumentException("--ttl-ms must be positive, was " + ttlMillis);
                }
                request = request.withExpiresAt(nowMillis + ttlMillis);
            }
            return request;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
