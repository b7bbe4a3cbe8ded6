package io.pushfabric.contracts;

import java.util.regex.Pattern;

/**
 * The stable id of a connector node. It names the node's Kafka topic ({@code push.node.<id>}), so it
 * is limited to the characters Kafka allows in topic names and must stay the same across restarts.
 */
public record NodeId(String value) {
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public NodeId {
        if (value == null || !LEGAL.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "node id '" + value + "' must be 1-200 characters of [A-Za-z0-9._-]");
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    /** Turns a host name into a legal node id (dots and dashes kept, anything else replaced). */
    public static NodeId fromHostName(String hostName) {
        String cleaned = hostName.replaceAll("[^A-Za-z0-9._-]", "-");
        return new NodeId(cleaned.isEmpty() ? "node" : cleaned);
    }

    @Override
    public String toString() {
        return value;
    }
}
