package io.pushfabric.contracts;

import java.util.Objects;

/**
 * The Kafka topic names of one fabric. Defaults: {@code push-requests}, {@code push-requests.dlq},
 * {@code push.node.<nodeId>}, {@code push-control.push-requests}. Tests and multi-tenant setups give each fabric its own names.
 */
public record Topics(String requests, String deadLetter, String nodePrefix) {
    private static final String CONTROL_PREFIX = "push-control.";
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

    /**
     * Operators' commands to every connector: {@code push-control.<requests>}. Deliberately not under the
     * {@code <requests>} prefix: a producer granted WRITE on the prefix must not be able to drain nodes or
     * disconnect users (docs/operations.md shows the ACLs).
     */
    public String control() {
        return CONTROL_PREFIX + requests;
    }
}
