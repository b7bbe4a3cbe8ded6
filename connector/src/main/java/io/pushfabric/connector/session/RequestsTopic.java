package io.pushfabric.connector.session;

/** Identity of {@code push-requests} as this node saw it at start: a cursor from another topic id is void. */
public record RequestsTopic(String topicId, int partitions) {
}
