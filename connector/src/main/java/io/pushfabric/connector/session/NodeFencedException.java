package io.pushfabric.connector.session;

/** A session tried to attach while the node is fenced: its client must resume (here later, or elsewhere). */
public final class NodeFencedException extends RuntimeException {
    public NodeFencedException() {
        super("node is fenced: its lease lapsed and it has not rejoined yet");
    }
}
