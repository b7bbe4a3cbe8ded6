package io.pushfabric.connector.session;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How sessions may join channels on this connector.
 *
 * @param namespaces            {@code PUSH_CHANNEL_NAMESPACES} (default none), e.g. {@code chat=open,dm=user}: which
 *                              namespaces a client may join with a plain {@code subscribe} frame, and by which rule.
 *                              Any other channel needs a subscription token, a token claim or a backend command.
 * @param maxChannelsPerSession {@code PUSH_MAX_CHANNELS_PER_SESSION} (default 128)
 * @param maxSubscribersPerNode {@code PUSH_MAX_CHANNEL_SUBSCRIBERS_PER_NODE} (default 100000): sessions of this
 *                              node in one channel
 */
public record ChannelSettings(Map<String, Rule> namespaces, int maxChannelsPerSession, int maxSubscribersPerNode) {

    /** Who may join a namespace's channels with a plain {@code subscribe} frame. */
    public enum Rule {
        /** Any authenticated user. */
        OPEN,
        /** A user whose id is one of the comma-separated ids after the channel's last {@code #}: {@code dm:x#alice,bob}. */
        USER;

        boolean allows(UserId user, ChannelName channel) {
            if (this == OPEN) {
                return true;
            }
            String name = channel.value();
            int boundary = name.lastIndexOf('#');
            if (boundary < 0) {
                return false;
            }
            for (String id : name.substring(boundary + 1).split(",", -1)) {
                if (id.equals(user.value())) {
                    return true;
                }
            }
            return false;
        }
    }

    public ChannelSettings {
        namespaces = Map.copyOf(namespaces);
        if (maxChannelsPerSession < 1 || maxSubscribersPerNode < 1) {
            throw new IllegalArgumentException("channel limits must be at least 1");
        }
    }

    public static ChannelSettings fromEnv(Env env) {
        return new ChannelSettings(parseNamespaces(env.string("PUSH_CHANNEL_NAMESPACES", "")),
                env.integer("PUSH_MAX_CHANNELS_PER_SESSION", 128, 1, 100_000),
                env.integer("PUSH_MAX_CHANNEL_SUBSCRIBERS_PER_NODE", 100_000, 1, 100_000_000));
    }

    static Map<String, Rule> parseNamespaces(String text) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        if (text.isBlank()) {
            return rules;
        }
        for (String entry : text.split(",", -1)) {
            String[] parts = entry.trim().split("=", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[0].contains(":")) {
                throw new ConfigException("PUSH_CHANNEL_NAMESPACES: '" + entry.trim()
                        + "' is not <namespace>=<rule> (e.g. chat=open,dm=user)");
            }
            Rule rule;
            try {
                rule = Rule.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("PUSH_CHANNEL_NAMESPACES: rule '" + parts[1].trim() + "' of namespace '"
                        + parts[0].trim() + "' is not one of open, user");
            }
            if (rules.put(parts[0].trim(), rule) != null) {
                throw new ConfigException("PUSH_CHANNEL_NAMESPACES: namespace '" + parts[0].trim() + "' is listed twice");
            }
        }
        return rules;
    }

    /** Whether a namespace rule lets {@code user} join {@code channel} with a plain subscribe frame. */
    public boolean namespaceAllows(UserId user, ChannelName channel) {
        String namespace = channel.namespace();
        Rule rule = namespace == null ? null : namespaces.get(namespace);
        return rule != null && rule.allows(user, channel);
    }

    @Override
    public String toString() {
        return "channels[namespaces=" + namespaces + " maxPerSession=" + maxChannelsPerSession
                + " maxSubscribersPerNode=" + maxSubscribersPerNode + "]";
    }
}
