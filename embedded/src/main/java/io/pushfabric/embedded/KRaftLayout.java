package io.pushfabric.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of an {@link EmbeddedKafka} and the server properties of each: either one combined
 * broker+controller node, or one dedicated controller (node id 100) plus broker-only nodes with
 * node ids {@code 0..n-1}. Every listener binds 127.0.0.1; ports are chosen here, once, so a
 * restarted node comes back on the same port.
 */
record KRaftLayout(List<KafkaNode> controllers, List<KafkaNode> brokers, List<Integer> brokerPorts) {

    static final String LOOPBACK = "127.0.0.1";
    static final int DEDICATED_CONTROLLER_ID = 100;
    private static final String BROKER_LISTENER = "PLAINTEXT";

    KRaftLayout {
        controllers = List.copyOf(controllers);
        brokers = List.copyOf(brokers);
        brokerPorts = List.copyOf(brokerPorts);
    }

    /**
     * @param brokers   number of broker-only nodes; 0 means the single combined node
     * @param port      client port of the combined node; 0 picks a free one
     * @param extra     properties applied last to every node (only node.id and directories win over them)
     */
    static KRaftLayout plan(int brokers, int port, int partitions, Path baseDir, Map<String, String> extra) {
        boolean dedicated = brokers > 0;
        int brokerCount = dedicated ? brokers : 1;
        int controllerPort = FreePorts.pick();
        int controllerId = dedicated ? DEDICATED_CONTROLLER_ID : 0;
        Map<String, String> common = commonProperties(brokerCount, dedicated,
                controllerId + "@" + LOOPBACK + ":" + controllerPort);
        Map<String, String> controllerOnly = Map.of(
                "num.partitions", Integer.toString(partitions),
                "default.replication.factor", Integer.toString(Math.min(3, brokerCount)));
        String controllerListener = KafkaNode.CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort;

        List<KafkaNode> controllers = new ArrayList<>();
        List<KafkaNode> brokerNodes = new ArrayList<>();
        List<Integer> brokerPorts = new ArrayList<>();
        if (dedicated) {
            Map<String, String> props = new LinkedHashMap<>(common);
            props.putAll(controllerOnly);
            props.put("process.roles", "controller");
            props.put("listeners", controllerListener);
            controllers.add(node(DEDICATED_CONTROLLER_ID, "controller", baseDir, props, extra));
            for (int id = 0; id < brokers; id++) {
                int brokerPort = FreePorts.pick();
                brokerPorts.add(brokerPort);
                Map<String, String> brokerProps = brokerProperties(common, brokerPort);
                brokerProps.put("process.roles", "broker");
                brokerProps.put("listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
                brokerNodes.add(node(id, "broker", baseDir, brokerProps, extra));
            }
        } else {
            int brokerPort = port != 0 ? port : FreePorts.pick();
            brokerPorts.add(brokerPort);
            Map<String, String> props = brokerProperties(common, brokerPort);
            props.putAll(controllerOnly);
            props.put("process.roles", "broker,controller");
            props.put("listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort + "," + controllerListener);
            brokerNodes.add(node(0, "broker,controller", baseDir, props, extra));
        }
        return new KRaftLayout(controllers, brokerNodes, brokerPorts);
    }

    boolean combined() {
        return controllers.isEmpty();
    }

    String address(KafkaNode broker) {
        return LOOPBACK + ":" + brokerPorts.get(brokers.indexOf(broker));
    }

    private static Map<String, String> commonProperties(int brokers, boolean dedicated, String quorumVoters) {
        String replication = Integer.toString(Math.min(3, brokers));
        String minInsync = Integer.toString(Math.min(2, brokers));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("controller.listener.names", KafkaNode.CONTROLLER_LISTENER);
        props.put("controller.quorum.voters", quorumVoters);
        props.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + KafkaNode.CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("min.insync.replicas", minInsync);
        props.put("offsets.topic.replication.factor", replication);
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", replication);
        props.put("transaction.state.log.min.isr", minInsync);
        props.put("share.coordinator.state.topic.replication.factor", replication);
        props.put("share.coordinator.state.topic.min.isr", minInsync);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // The default 128 MiB log-cleaner buffer per node is wasted memory for an in-process cluster.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        if (dedicated) {
            // A restarted broker is refused (DuplicateBrokerRegistration) until its old session
            // expires; with the 9 s default every startBroker would take about 10 s.
            props.put("broker.session.timeout.ms", "3000");
            props.put("broker.heartbeat.interval.ms", "500");
        }
        return props;
    }

    private static Map<String, String> brokerProperties(Map<String, String> common, int brokerPort) {
        Map<String, String> props = new LinkedHashMap<>(common);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        return props;
    }

    private static KafkaNode node(int nodeId, String roles, Path baseDir, Map<String, String> props,
                                  Map<String, String> extra) {
        Path dir = baseDir.resolve(roles.replace(',', '-') + "-" + nodeId);
        Map<String, String> nodeProps = new LinkedHashMap<>(props);
        nodeProps.putAll(extra);
        nodeProps.put("node.id", Integer.toString(nodeId));
        nodeProps.put("log.dirs", dir.toString());
        nodeProps.put("metadata.log.dir", dir.toString());
        return new KafkaNode(nodeId, roles, dir, nodeProps);
    }
}
