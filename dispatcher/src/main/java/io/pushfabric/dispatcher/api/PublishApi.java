package io.pushfabric.dispatcher.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.config.KafkaSettings;
import io.pushfabric.dispatcher.presence.ChannelPresenceQuery;
import io.pushfabric.dispatcher.presence.PresenceQuery;
import io.pushfabric.registry.ChannelMembers;
import io.pushfabric.registry.NodeRegistry;
import io.pushfabric.registry.RouteRegistry;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running HTTP API (docs/http-api.md): {@code POST /v1/publish}, {@code POST /v1/publish/batch},
 * {@code GET /v1/presence/{user}}, {@code GET /v1/channels/{channel}/presence}, with its own Kafka producer. Closing stops the listener, then the producer.
 */
public final class PublishApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PublishApi.class);

    private final HttpApiServer server;
    private final KafkaRequestPublisher publisher;
    private final KafkaClientMetrics producerMetrics;

    private PublishApi(HttpApiServer server, KafkaRequestPublisher publisher, KafkaClientMetrics producerMetrics) {
        this.server = server;
        this.publisher = publisher;
        this.producerMetrics = producerMetrics;
    }

    /**
     * @param maxPayloadBytes the dispatcher's own payload limit ({@code PUSH_MAX_PAYLOAD_BYTES}), so the API accepts
     *                        exactly what the dispatcher will
     */
    public static PublishApi start(ApiSettings settings, KafkaSettings kafka, int maxPayloadBytes, RouteRegistry routes,
                                   NodeRegistry nodes, ChannelMembers channelMembers, MeterRegistry meters,
                                   Clock clock) {
        LOG.info("Starting the HTTP API: {}", settings.describe());
        PushRequestCodec codec = new PushRequestCodec(maxPayloadBytes);
        KafkaRequestPublisher publisher = new KafkaRequestPublisher(kafka, codec, settings.publishTimeout(),
                "pushfabric-api-producer-" + UUID.randomUUID().toString().substring(0, 8), clock);
        try {
            KafkaClientMetrics producerMetrics = new KafkaClientMetrics(publisher.producer());
            producerMetrics.bindTo(meters);
            ApiMetrics metrics = new ApiMetrics(meters);
            ApiRoutes apiRoutes = new ApiRoutes(new ApiAuth(settings.keys()),
                    new KeyRateLimits(settings.keys(), settings.ratePerSecond(), settings.burst(), clock),
                    new PublishBody(codec, settings.maxBatch()),
                    new PublishEndpoint(publisher, settings.publishTimeout(), clock),
                    new PresenceQuery(routes, nodes), new ChannelPresenceQuery(channelMembers, nodes),
                    settings.channelPresence(), metrics);
            HttpApiServer server = new HttpApiServer(settings.host(), settings.port(), settings.threads(),
                    settings.maxBodyBytes(), apiRoutes, metrics);
            server.start();
            LOG.info("HTTP API listening on {}:{}", settings.host(), server.port());
            return new PublishApi(server, publisher, producerMetrics);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        producerMetrics.close();
        publisher.close();
        LOG.info("HTTP API stopped");
    }
}
