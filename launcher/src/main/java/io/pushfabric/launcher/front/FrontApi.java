package io.pushfabric.launcher.front;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev page's two endpoints.
 *
 * <ul>
 *   <li>{@code GET /api/token?user=alice[&ttl=<seconds>]} → {@code {"user":"alice","token":"<JWT>","expiresInSeconds":3600}}
 *       ({@code ttl} from 5 s up to the default validity)</li>
 *   <li>{@code POST /api/publish} with {@code {"user":"alice","payload":{...}}},
 *       {@code {"channel":"chat:lobby","payload":{...}}} or {@code {"broadcast":true,"payload":{...}}},
 *       optional {@code "messageId"} and {@code "ttlMs"}
 *       → {@code {"id":"3-120","partition":3,"offset":120}} once Kafka has the message</li>
 * </ul>
 * Errors are {@code {"error":"..."}} with 400 (bad input), 413 (body too large), 502 (Kafka refused) or
 * 504 (Kafka did not answer in time).
 */
public final class FrontApi {
    private static final Logger LOG = LoggerFactory.getLogger(FrontApi.class);
    private static final int MAX_BODY_BYTES = 256 * 1024;
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);

    /** Mints a token for a user; {@code TokenIssuer::issue} in the dev fabric. */
    public interface Tokens {
        String issue(UserId user, Duration validity);
    }

    /** Appends a push request; {@code PushPublisher::publish} in the dev fabric. */
    public interface Publisher {
        CompletableFuture<MessagePosition> publish(PushRequest request);
    }

    /** The shortest token {@code /api/token?ttl=} mints: enough to watch a session expire (close 4005). */
    static final Duration MIN_TOKEN_TTL = Duration.ofSeconds(5);

    private final Tokens tokens;
    private final Duration tokenValidity;
    private final Publisher publisher;
    private final Clock clock;

    public FrontApi(Tokens tokens, Duration tokenValidity, Publisher publisher, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.tokenValidity = Objects.requireNonNull(tokenValidity, "tokenValidity");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void token(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("user");
        String user = values == null ? null : values.peekFirst();
        if (user == null || user.isBlank()) {
            error(exchange, StatusCodes.BAD_REQUEST, "user is required, e.g. /api/token?user=alice");
            return;
        }
        UserId id;
        try {
            id = UserId.of(user.trim());
        } catch (IllegalArgumentException e) {
            error(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
            return;
        }
        Duration validity = tokenValidity;
        Deque<String> ttl = exchange.getQueryParameters().get("ttl");
        if (ttl != null && !ttl.isEmpty()) {
            try {
                validity = Duration.ofSeconds(Long.parseLong(ttl.peekFirst().trim()));
            } catch (NumberFormatException e) {
                validity = Duration.ZERO;
            }
            if (validity.compareTo(MIN_TOKEN_TTL) < 0 || validity.compareTo(tokenValidity) > 0) {
                error(exchange, StatusCodes.BAD_REQUEST, "ttl must be " + MIN_TOKEN_TTL.toSeconds() + "-"
                        + tokenValidity.toSeconds() + " seconds");
                return;
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("user", id.value())
                .put("token", tokens.issue(id, validity))
                .put("expiresInSeconds", validity.toSeconds());
        json(exchange, StatusCodes.OK, body);
    }

    /** Reads the body and waits for Kafka, so it runs on a worker thread in blocking mode. */
    void publish(HttpServerExchange exchange) throws IOException {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::publish);
            return;
        }
        exchange.startBlocking();
        byte[] body = exchange.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            error(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, "body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        PushRequest request;
        try {
            request = parsePublish(body, clock.millis());
        } catch (IllegalArgumentException e) {
            error(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
            return;
        }
        try {
            MessagePosition position = publisher.publish(request)
                    .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("Published {} for {}", position, request.isBroadcast() ? "everyone"
                    : request.isChannel() ? request.channel() : request.user());
            json(exchange, StatusCodes.OK, Json.MAPPER.createObjectNode()
                    .put("id", position.id())
                    .put("partition", position.partition())
                    .put("offset", position.offset()));
        } catch (ExecutionException e) {
            LOG.warn("Publish failed: {}", e.getCause().toString());
            error(exchange, StatusCodes.BAD_GATEWAY, "Kafka did not take the message: " + e.getCause());
        } catch (TimeoutException e) {
            error(exchange, StatusCodes.GATEWAY_TIME_OUT, "Kafka did not answer within " + PUBLISH_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, StatusCodes.SERVICE_UNAVAILABLE, "interrupted while publishing");
        }
    }

    /**
     * The body of {@code POST /api/publish} as a push request.
     *
     * @throws IllegalArgumentException naming what is wrong with the body
     */
    static PushRequest parsePublish(byte[] body, long nowMillis) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object: {\"user\":\"alice\",\"payload\":{...}},"
                    + " {\"channel\":\"chat:lobby\",\"payload\":{...}} or {\"broadcast\":true,\"payload\":{...}}");
        }
        JsonNode payload = root.get("payload");
        if (payload == null) {
            throw new IllegalArgumentException("payload is required");
        }
        boolean broadcast = root.path("broadcast").asBoolean(false);
        String user = root.hasNonNull("user") ? root.get("user").asText().trim() : "";
        String channel = root.hasNonNull("channel") ? root.get("channel").asText().trim() : "";
        int targets = (broadcast ? 1 : 0) + (user.isEmpty() ? 0 : 1) + (channel.isEmpty() ? 0 : 1);
        if (targets != 1) {
            throw new IllegalArgumentException("give exactly one of \"user\", \"channel\" or \"broadcast\": true");
        }
        PushRequest request;
        if (broadcast) {
            request = PushRequest.broadcast(payload);
        } else if (!channel.isEmpty()) {
            request = PushRequest.toChannel(ChannelName.of(channel), payload);
        } else {
            request = PushRequest.toUser(UserId.of(user), payload);
        }
        if (root.hasNonNull("messageId")) {
            request = request.withMessageId(root.get("messageId").asText());
        }
        if (root.hasNonNull("ttlMs")) {
            long ttl = root.get("ttlMs").asLong();
            if (ttl <= 0) {
                throw new IllegalArgumentException("ttlMs must be a positive number of milliseconds, was "
                        + root.get("ttlMs"));
            }
            request = request.withExpiresAt(nowMillis + ttl);
        }
        return request;
    }

    private static void error(HttpServerExchange exchange, int status, String message) {
        json(exchange, status, Json.MAPPER.createObjectNode().put("error", message));
    }

    private static void json(HttpServerExchange exchange, int status, JsonNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body.toString());
    }
}
