package io.pushfabric.contracts;

/**
 * The rule every producer follows: the Kafka record key of a push request is the target user id,
 * {@link #BROADCAST} for a broadcast, or {@link ChannelName#routingKey()} ({@code #<channel>}) for a channel. Kafka's default partitioner (murmur2 of the key) then puts every
 * message for one user into one partition, in publish order.
 */
public final class RoutingKeys {
    /** The fixed key of broadcast requests; no user may have this id. */
    public static final String BROADCAST = "*";

    private RoutingKeys() {
    }

    public static String of(PushRequest request) {
        if (request.isChannel()) {
            return request.channel().routingKey();
        }
        return request.isBroadcast() ? BROADCAST : request.user().value();
    }
}
