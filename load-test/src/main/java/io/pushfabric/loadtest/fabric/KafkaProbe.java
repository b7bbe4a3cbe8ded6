package io.pushfabric.loadtest.fabric;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where messages wait, read from Kafka once a second: how far the dispatcher group's committed offsets trail
 * the end of {@code push-requests} (the dispatcher's backlog; markers included), and how many records the
 * node topics hold (one per delivery the dispatchers produced). With the publish and delivery counts that
 * locates a queue: before the dispatcher, or after it.
 */
public final class KafkaProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaProbe.class);
    private static final long TIMEOUT_MS = 2_000;
    private static final long TOPIC_REFRESH_MS = 5_000;

    private final Admin admin;
    private final String requests;
    private final String group;
    private final String nodePrefix;
    private List<TopicPartition> requestPartitions = List.of();
    private List<TopicPartition> nodePartitions = List.of();
    private long topicsReadAt;
    private boolean warned;

    /** One reading: sums over partitions. */
    public record Sample(long requestsEnd, long dispatcherCommitted, long nodeRecords) {
        public long dispatcherLag() {
            return Math.max(0, requestsEnd - dispatcherCommitted);
        }
    }

    public KafkaProbe(String bootstrap, String requestsTopic, String dispatcherGroup, String nodeTopicPrefix) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "pushfabric-load-test-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS * 2));
        this.requests = requestsTopic;
        this.group = dispatcherGroup;
        this.nodePrefix = nodeTopicPrefix;
    }

    /** Null when Kafka did not answer in time (logged once). */
    public Sample sample() {
        try {
            refreshTopics();
            long end = sumEnds(requestPartitions);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            long done = committed.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
            return new Sample(end, done, sumEnds(nodePartitions));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!warned) {
                warned = true;
                LOG.warn("Cannot read offsets from Kafka (stage backlogs will be missing): {}", e.toString());
            }
            return null;
        }
    }

    private void refreshTopics() throws Exception {
        long now = System.currentTimeMillis();
        if (now - topicsReadAt < TOPIC_REFRESH_MS && !requestPartitions.isEmpty()) {
            return;
        }
        Set<String> names = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Set<String> wanted = names.stream().filter(n -> n.equals(requests) || n.startsWith(nodePrefix))
                .collect(Collectors.toSet());
        Map<String, TopicDescription> d = admin.describeTopics(wanted).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        requestPartitions = partitions(d, n -> n.equals(requests));
        nodePartitions = partitions(d, n -> n.startsWith(nodePrefix) && !n.equals(requests));
        topicsReadAt = now;
    }

    private static List<TopicPartition> partitions(Map<String, TopicDescription> d,
                                                   java.util.function.Predicate<String> which) {
        return d.values().stream().filter(t -> which.test(t.name()))
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition()))).toList();
    }

    private long sumEnds(List<TopicPartition> partitions) throws Exception {
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
