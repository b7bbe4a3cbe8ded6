package io.pushfabric.dispatcher.loop;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cluster's metadata says about each node topic: missing, or present with its
 * {@code max.message.bytes}. An existing topic is cached for {@code ttl} so a batch costs no admin round trip;
 * {@link #forget} drops an entry when a send to the node failed, so the next question reads fresh metadata.
 */
final class NodeTopics {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTopics.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    /** A node topic as the metadata describes it; {@code maxMessageBytes} is 0 when it is missing. */
    record State(boolean exists, int maxMessageBytes) {
        static final State MISSING = new State(false, 0);
    }

    private final Admin admin;
    private final Topics topics;
    private final Cache<NodeId, State> cache;

    NodeTopics(Admin admin, Topics topics, Duration ttl) {
        this.admin = admin;
        this.topics = topics;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
    }

    /** The topic's state, or null when the metadata cannot be read now (then nobody knows better than a send). */
    State of(NodeId node) {
        State known = cache.getIfPresent(node);
        if (known != null) {
            return known;
        }
        State read = read(node);
        if (read != null && read.exists()) {
            cache.put(node, read); // "missing" is never cached: a fenced node that rejoins recreates its topic
        }
        return read;
    }

    void forget(NodeId node) {
        cache.invalidate(node);
    }

    private State read(NodeId node) {
        String topic = topics.nodeTopic(node);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry max = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return new State(true, max == null || max.value() == null ? Integer.MAX_VALUE
                    : Integer.parseInt(max.value()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return State.MISSING;
            }
            LOG.warn("Cannot describe {}: {}", topic, e.getCause().toString());
            return null;
        } catch (java.util.concurrent.TimeoutException | NumberFormatException e) {
            LOG.warn("Cannot describe {}: {}", topic, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
