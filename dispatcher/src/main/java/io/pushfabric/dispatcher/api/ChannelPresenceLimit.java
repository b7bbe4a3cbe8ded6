package io.pushfabric.dispatcher.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * How many users {@code GET /v1/channels/{channel}/presence} lists: {@code ?limit=N}, from 1 to {@code max}
 * ({@code PUSH_API_CHANNEL_PRESENCE_MAX_LIMIT}), {@code defaultLimit} ({@code PUSH_API_CHANNEL_PRESENCE_LIMIT})
 * when not given.
 */
record ChannelPresenceLimit(int defaultLimit, int max) {
    ChannelPresenceLimit {
        if (defaultLimit < 1 || defaultLimit > max) {
            throw new IllegalArgumentException("the default limit " + defaultLimit + " must be 1-" + max);
        }
    }

    /**
     * @param query the raw query string, or null
     * @throws IllegalArgumentException when {@code limit} is not a number from 1 to {@link #max}
     */
    int parse(String query) {
        if (query == null || query.isEmpty()) {
            return defaultLimit;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (!name.equals("limit")) {
                continue;
            }
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            try {
                int limit = Integer.parseInt(value.trim());
                if (limit >= 1 && limit <= max) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new IllegalArgumentException("limit must be a number from 1 to " + max + ", was '" + value + "'");
        }
        return defaultLimit;
    }
}
