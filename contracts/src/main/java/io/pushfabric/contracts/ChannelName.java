package io.pushfabric.contracts;

/**
 * The name of a channel: a group of sessions that all get what is published to it. 1 to
 * {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 _ - . : @ # , / + ! ~}, not starting with {@code #}.
 * The part before the first {@code :} is its namespace ({@code chat:lobby} is in {@code chat}).
 *
 * <p>Its Kafka record key is {@link #routingKey()}: {@value #KEY_PREFIX} followed by the name. User ids never
 * start with {@value #KEY_PREFIX} and the broadcast key is {@code *}, so the three kinds of key never meet.
 */
public record ChannelName(String value) {
    public static final int MAX_LENGTH = 200;
    /** The first character of every channel routing key, and of no user id. */
    public static final String KEY_PREFIX = "#";
    private static final String PUNCTUATION = "_-.:@#,/+!~";

    public ChannelName {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("channel name must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("channel name longer than " + MAX_LENGTH + " characters");
        }
        if (value.startsWith(KEY_PREFIX)) {
            throw new IllegalArgumentException("channel name must not start with '" + KEY_PREFIX + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || PUNCTUATION.indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("channel name has a character outside A-Z a-z 0-9 "
                        + PUNCTUATION + " at index " + i);
            }
        }
    }

    public static ChannelName of(String value) {
        return new ChannelName(value);
    }

    /** The Kafka record key (and dedupe scope) of everything published to this channel. */
    public String routingKey() {
        return KEY_PREFIX + value;
    }

    /** The part before the first {@code :}, or null when the name has none. */
    public String namespace() {
        int at = value.indexOf(':');
        return at <= 0 ? null : value.substring(0, at);
    }

    @Override
    public String toString() {
        return value;
    }
}
