package io.pushfabric.connector.http;

import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.session.ChannelRefusal;
import io.pushfabric.connector.session.ChannelSettings;
import io.pushfabric.connector.session.ChannelSubscriptions;
import io.pushfabric.connector.session.ClientSession;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.frames.ClientFrame;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides who may join a channel, and hands the allowed subscriptions to {@link ChannelSubscriptions}: a
 * {@code subscribe} frame is allowed by a namespace rule or by a subscription token (signed like the connection
 * token, same user, {@code channel} claim naming the channel); a connection token's {@code channels} claim
 * subscribes the session at connect, recovering from the {@code channels} connect parameter.
 */
public final class ChannelFrames {
    private final JwtAuthenticator auth;
    private final ChannelSettings settings;
    private final ChannelSubscriptions subscriptions;

    public ChannelFrames(JwtAuthenticator auth, ChannelSettings settings, ChannelSubscriptions subscriptions) {
        this.auth = auth;
        this.settings = settings;
        this.subscriptions = subscriptions;
    }

    /** True when checking a token may block (a JWKS fetch): then answer off the I/O thread. */
    boolean mayBlock() {
        return auth.mayBlock();
    }

    void subscribe(ClientSession session, ClientFrame.Subscribe frame) {
        ChannelName channel;
        try {
            channel = ChannelName.of(frame.channel());
        } catch (IllegalArgumentException e) {
            subscriptions.refuse(session, frame.channel(), ChannelRefusal.BAD_CHANNEL);
            return;
        }
        if (frame.token() != null) {
            JwtAuthenticator.Result grant = auth.authenticate(frame.token());
            if (!grant.isOk() || !grant.user().equals(session.user()) || !channel.value().equals(grant.channel())) {
                subscriptions.refuse(session, frame.channel(), ChannelRefusal.BAD_TOKEN);
                return;
            }
        } else if (!settings.namespaceAllows(session.user(), channel)) {
            subscriptions.refuse(session, frame.channel(), ChannelRefusal.NOT_ALLOWED);
            return;
        }
        subscriptions.subscribe(session, channel, frame.position());
    }

    void unsubscribe(ClientSession session, ClientFrame.Unsubscribe frame) {
        ChannelName channel;
        try {
            channel = ChannelName.of(frame.channel());
        } catch (IllegalArgumentException e) {
            subscriptions.refuse(session, frame.channel(), ChannelRefusal.NOT_SUBSCRIBED);
            return;
        }
        subscriptions.unsubscribe(session, channel, null);
    }

    /**
     * Subscribes a new session to its token's channels. {@code positionsParam} is the {@code channels} connect
     * parameter, a JSON object of recovery positions by channel, or null; a channel it does not name starts from now.
     */
    void subscribeAtConnect(ClientSession session, List<String> tokenChannels, String positionsParam) {
        if (tokenChannels.isEmpty()) {
            return;
        }
        Map<String, String> positions = positions(positionsParam);
        for (String name : tokenChannels) {
            ChannelName channel;
            try {
                channel = ChannelName.of(name);
            } catch (IllegalArgumentException e) {
                subscriptions.refuse(session, name, ChannelRefusal.BAD_CHANNEL);
                continue;
            }
            // An unreadable parameter recovers nothing: each subscription says recovered:false, bad_position.
            subscriptions.subscribe(session, channel, positions == null ? "" : positions.get(name));
        }
    }

    /** The recovery positions of the connect parameter by channel; null when it is not a JSON object. */
    static Map<String, String> positions(String param) {
        Map<String, String> positions = new HashMap<>();
        if (param == null || param.isBlank()) {
            return positions;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(param);
            if (root == null || !root.isObject()) {
                return null;
            }
            root.properties().forEach(e -> positions.put(e.getKey(), e.getValue().asText()));
            return positions;
        } catch (IOException e) {
            return null;
        }
    }

    void closed(ClientSession session) {
        subscriptions.closed(session);
    }
}
