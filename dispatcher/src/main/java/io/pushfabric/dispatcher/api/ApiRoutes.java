package io.pushfabric.dispatcher.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.presence.ChannelPresenceQuery;
import io.pushfabric.dispatcher.presence.PresenceQuery;
import io.pushfabric.dispatcher.presence.UserPresence;
import io.pushfabric.registry.TransientRegistryException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What each endpoint does, free of the HTTP server: check the key and its scope, read and check the body,
 * take from the key's rate, then publish or look up presence. docs/http-api.md describes every answer.
 */
final class ApiRoutes {
    static final String PUBLISH = "/v1/publish";
    static final String PUBLISH_BATCH = "/v1/publish/batch";
    static final String PRESENCE = "/v1/presence/";
    static final String CHANNELS = "/v1/channels/";
    static final String CHANNEL_PRESENCE = "/presence";
    /** How soon to try again after Kafka or Redis could not answer. */
    private static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(1);

    /** The request body, read only once the caller is known (a 413 past the size limit). */
    interface Body {
        byte[] read() throws ApiProblem;
    }

    private final ApiAuth auth;
    private final KeyRateLimits rates;
    private final PublishBody parser;
    private final PublishEndpoint publisher;
    private final PresenceQuery presence;
    private final ChannelPresenceQuery channelPresence;
    private final ChannelPresenceLimit channelLimit;
    private final ApiMetrics metrics;

    ApiRoutes(ApiAuth auth, KeyRateLimits rates, PublishBody parser, PublishEndpoint publisher, PresenceQuery presence,
              ChannelPresenceQuery channelPresence, ChannelPresenceLimit channelLimit, ApiMetrics metrics) {
        this.auth = auth;
        this.rates = rates;
        this.parser = parser;
        this.publisher = publisher;
        this.presence = presence;
        this.channelPresence = channelPresence;
        this.channelLimit = channelLimit;
        this.metrics = metrics;
    }

    /** The endpoint a path belongs to, as the metrics tag it. */
    static String endpointOf(String path) {
        return switch (path) {
            case PUBLISH -> "publish";
            case PUBLISH_BATCH -> "publish_batch";
            default -> path.startsWith(PRESENCE) ? "presence"
                    : path.startsWith(CHANNELS) && path.endsWith(CHANNEL_PRESENCE)
                            && path.length() > CHANNELS.length() + CHANNEL_PRESENCE.length() ? "channel_presence"
                    : "other";
        };
    }

    /**
     * @param query the raw query string, or null
     * @return the answer; a publish's completes once Kafka acknowledged it (or the publish timeout passed), every
     *         other one at once
     */
    CompletableFuture<ApiReply> handle(String method, String path, String query, String authorization, Body body) {
        try {
            String endpoint = endpointOf(path);
            return switch (endpoint) {
                case "publish", "publish_batch" -> {
                    expect("POST", method);
                    yield publish(authorization, body, endpoint.equals("publish_batch"));
                }
                case "presence" -> {
                    expect("GET", method);
                    yield CompletableFuture.completedFuture(presence(authorization, path.substring(PRESENCE.length())));
                }
                case "channel_presence" -> {
                    expect("GET", method);
                    yield CompletableFuture.completedFuture(channelPresence(authorization,
                            path.substring(CHANNELS.length(), path.length() - CHANNEL_PRESENCE.length()), query));
                }
                default -> throw ApiProblem.of(404, "not_found", "no endpoint " + path
                        + " (see docs/http-api.md: /v1/publish, /v1/publish/batch, /v1/presence/{user},"
                        + " /v1/channels/{channel}/presence)");
            };
        } catch (ApiProblem problem) {
            return CompletableFuture.completedFuture(ApiReply.of(problem));
        }
    }

    private static void expect(String wanted, String method) throws ApiProblem {
        if (!wanted.equals(method)) {
            throw ApiProblem.of(405, "method_not_allowed", method + " is not allowed here; use " + wanted);
        }
    }

    private CompletableFuture<ApiReply> publish(String authorization, Body body, boolean batch) throws ApiProblem {
        ApiKey key = auth.check(authorization, ApiScope.PUBLISH);
        byte[] bytes = body.read();
        List<PushRequest> requests = batch ? parser.batch(bytes) : List.of(parser.single(bytes));
        take(key, requests.size());
        return publisher.publish(requests).thenApply(outcomes -> published(key, outcomes, batch));
    }

    private ApiReply published(ApiKey key, List<PublishOutcome> outcomes, boolean batch) {
        metrics.published(key, outcomes.stream().filter(PublishOutcome::ok).count());
        if (!batch) {
            PublishOutcome only = outcomes.get(0);
            return only.ok() ? ApiReply.ok(position(only)) : ApiReply.of(failure(only));
        }
        ArrayNode results = Json.MAPPER.createArrayNode();
        // The call's status comes from one failed request, an unavailable one before a too-large one: 503 says
        // "retry", which is what a caller with some requests unpublished should do.
        PublishOutcome worst = null;
        for (PublishOutcome outcome : outcomes) {
            if (outcome.ok()) {
                results.add(position(outcome));
            } else {
                ObjectNode failed = results.addObject();
                failed.put("error", outcome.tooLarge() ? "too_large" : "unavailable");
                failed.put("message", outcome.failure());
                worst = worst == null || !outcome.tooLarge() ? outcome : worst;
            }
        }
        ApiReply reply = worst == null ? ApiReply.ok(Json.MAPPER.createObjectNode()) : ApiReply.of(failure(worst));
        reply.body().set("results", results);
        return reply;
    }

    private static ApiProblem failure(PublishOutcome outcome) {
        return outcome.tooLarge() ? ApiProblem.tooLarge("RECORD_TOO_LARGE", outcome.failure())
                : ApiProblem.unavailable(outcome.failure(), UNAVAILABLE_RETRY);
    }

    private static ObjectNode position(PublishOutcome outcome) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", outcome.position().id());
        node.put("partition", outcome.position().partition());
        node.put("offset", outcome.position().offset());
        if (outcome.request().messageId() != null) {
            node.put("messageId", outcome.request().messageId());
        }
        return node;
    }

    private ApiReply presence(String authorization, String rawUser) throws ApiProblem {
        ApiKey key = auth.check(authorization, ApiScope.PRESENCE);
        take(key, 1);
        UserId user;
        try {
            user = UserId.of(rawUser);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("BAD_USER", e.getMessage());
        }
        UserPresence found = fromRegistry(() -> presence.of(user));
        return ApiReply.ok(found.toJson());
    }

    /** A registry read; Redis not answering is a 503. */
    private static <T> T fromRegistry(java.util.function.Supplier<T> read) throws ApiProblem {
        try {
            return read.get();
        } catch (TransientRegistryException e) {
            throw ApiProblem.unavailable("the registry (Redis) did not answer: " + e.getMessage(), UNAVAILABLE_RETRY);
        }
    }

    private ApiReply channelPresence(String authorization, String rawChannel, String query) throws ApiProblem {
        ApiKey key = auth.check(authorization, ApiScope.PRESENCE);
        take(key, 1);
        ChannelName channel;
        int limit;
        try {
            channel = ChannelName.of(rawChannel);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("BAD_CHANNEL", e.getMessage());
        }
        try {
            limit = channelLimit.parse(query);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("BAD_LIMIT", e.getMessage());
        }
        return ApiReply.ok(fromRegistry(() -> channelPresence.of(channel, limit)).toJson());
    }

    private void take(ApiKey key, int tokens) throws ApiProblem {
        Duration wait = rates.take(key, tokens);
        if (!wait.isZero()) {
            throw ApiProblem.rateLimited(key.name(), wait);
        }
    }
}
