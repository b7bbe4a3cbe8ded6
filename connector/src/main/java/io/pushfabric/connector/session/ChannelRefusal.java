package io.pushfabric.connector.session;

import java.util.Locale;

/** Why a subscribe or unsubscribe was refused; the tag is the {@code reason} of the error frame. */
public enum ChannelRefusal {
    /** The name is not a valid channel name. */
    BAD_CHANNEL("not a valid channel name"),
    /** No namespace rule lets this user join it with a plain subscribe, and no token was given. */
    NOT_ALLOWED("no namespace rule lets you join this channel; ask your backend for a subscription token"),
    /** The subscription token is invalid, expired, another user's or another channel's. */
    BAD_TOKEN("the subscription token is not valid for this user and channel"),
    ALREADY_SUBSCRIBED("this session is already subscribed to the channel"),
    TOO_MANY_CHANNELS("this session is in as many channels as PUSH_MAX_CHANNELS_PER_SESSION allows"),
    CHANNEL_FULL("the channel has as many subscribers on this node as PUSH_MAX_CHANNEL_SUBSCRIBERS_PER_NODE allows"),
    /** Redis or Kafka failed; retry with backoff. */
    UNAVAILABLE("the subscription could not be recorded; retry with backoff"),
    NOT_SUBSCRIBED("this session is not subscribed to the channel");

    private final String message;

    ChannelRefusal(String message) {
        this.message = message;
    }

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String message() {
        return message;
    }
}
