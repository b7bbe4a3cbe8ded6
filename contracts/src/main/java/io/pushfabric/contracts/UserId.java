package io.pushfabric.contracts;

/**
 * The id of a user, taken from the JWT {@code sub} claim on the connector side and from the push
 * request on the producer side. It is also the Kafka record key of every push request for that user.
 *
 * <p>1 to 256 characters, no control characters, never {@link RoutingKeys#BROADCAST}, and never starting with
 * {@link ChannelName#KEY_PREFIX}, which marks channel routing keys.
 */
public record UserId(String value) {
    public static final int MAX_LENGTH = 256;

    public UserId {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("user id must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("user id longer than " + MAX_LENGTH + " characters");
        }
        if (value.equals(RoutingKeys.BROADCAST)) {
            throw new IllegalArgumentException("user id '" + RoutingKeys.BROADCAST + "' is reserved for broadcast");
        }
        if (value.startsWith(ChannelName.KEY_PREFIX)) {
            throw new IllegalArgumentException("user id must not start with '" + ChannelName.KEY_PREFIX
                    + "' (reserved for channel routing keys)");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("user id contains a control character at index " + i);
            }
        }
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
