package io.pushfabric.launcher;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.RedisRegistries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What {@code pushfabric status} shows: the nodes from the registry, and the dispatchers' lag from Kafka. */
record FabricStatus(List<Node> nodes, long lag, Map<TopicPartition, Long> lagByPartition) {

    record Node(NodeId id, String address, boolean live, int sessions, long heartbeatAgeMillis, long startedAt) {
    }

    static FabricStatus collect(RedisRegistries redis, Admin admin, String requestsTopic, String group, long now)
            throws Exception {
        Set<NodeId> live = redis.nodes().liveNodes();
        List<Node> nodes = new ArrayList<>();
        for (NodeInfo n : redis.nodes().knownNodes()) {
            nodes.add(new Node(n.id(), n.address(), live.contains(n.id()), n.sessions(), now - n.heartbeatAt(),
                    n.startedAt()));
        }
        nodes.sort(Comparator.comparing(n -> n.id().value()));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
        int partitions = admin.describeTopics(List.of(requestsTopic)).allTopicNames().get(15, TimeUnit.SECONDS)
                .get(requestsTopic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(requestsTopic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(15, TimeUnit.SECONDS);
        Map<TopicPartition, Long> lagByPartition = new java.util.TreeMap<>(
                Comparator.comparingInt(TopicPartition::partition));
        long total = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            long lag = e.getValue().offset() - (c == null ? 0 : c.offset());
            lagByPartition.put(e.getKey(), lag);
            total += lag;
        }
        return new FabricStatus(nodes, total, lagByPartition);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-24s %-6s %-22s %9s %14s%n", "NODE", "STATE", "ADDRESS", "SESSIONS", "LAST HEARTBEAT"));
        for (Node n : nodes) {
            out.append(String.format("%-24s %-6s %-22s %9d %12d ms%n", n.id(), n.live() ? "live" : "dead", n.address(),
                    n.sessions(), n.heartbeatAgeMillis()));
        }
        if (nodes.isEmpty()) {
            out.append("(no connector nodes registered)\n");
        }
        int sessions = nodes.stream().filter(Node::live).mapToInt(Node::sessions).sum();
        out.append(String.format("%d live node(s), %d session(s)%n", nodes.stream().filter(Node::live).count(), sessions));
        out.append("dispatcher lag: ").append(lag).append(" record(s)");
        if (lag > 0) {
            out.append("  ");
            lagByPartition.forEach((tp, l) -> {
                if (l > 0) {
                    out.append(" p").append(tp.partition()).append('=').append(l);
                }
            });
        }
        return out.append('\n').toString();
    }
}
