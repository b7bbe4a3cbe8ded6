package io.pushfabric.contracts;

import java.util.Objects;

/**
 * The Kafka topic names of one fabric. Defaults: {@code push-requests}, {@code push-requests.dlq},
 * {@code push.node.<nodeId>}, {@code push-requests.control}. Tests and multi-tenant setups give each fabric its own names.
 */
public record Topics(String requests, String deadLetter, String nodePrefix) {
    public static final Topics DEFAULT = new Topics("push-requests", "push-requests.dlq", "push.node.");

    public Topics {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(nodePrefix, "nodePrefix");
    }

    /** All names derived from one base: {@code <base>}, {@code <base>.dlq}, {@code <base>.node.}. */
    public static Topics withBase(String base) {
        return new Topics(base, base + ".dlq", base + ".node.");
    }

    public String nodeTopic(NodeId node) {
        return nodePrefix + node.value();
    }

    /** Operators' commands to every connector: {@code <requests>.control}. */
    public String control() {
        return requests + ".control";
    }
}
