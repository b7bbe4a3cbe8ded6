package io.pushfabric.connector.limits;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import io.pushfabric.contracts.frames.FrameCodec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What one connector node lets a client do; {@code docs/security.md} lists each limit with its refusal
 * and metric.
 *
 * @param maxClientFrameBytes         {@code PUSH_MAX_CLIENT_FRAME_BYTES} (default 16384): a text or binary
 *                                    message from a client above this closes the connection with 1009, checked
 *                                    as the bytes arrive
 * @param maxConnections              {@code PUSH_MAX_CONNECTIONS} (default 50000): open plus opening WebSockets
 *                                    on this node; past it upgrades get 503 and {@code /readyz} says "full"
 * @param maxSessionsPerUser          {@code PUSH_MAX_SESSIONS_PER_USER} (default 16): one user's sessions on
 *                                    this node; the newest upgrade is refused with 429
 * @param connectsPerUserPerMinute    {@code PUSH_CONNECTS_PER_USER_PER_MINUTE} (default 30): upgrades one
 *                                    user may start per minute on this node (token bucket, burst of the same size)
 * @param connectsPerAddressPerMinute {@code PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE} (default 600): upgrades one
 *                                    source address may start per minute on this node
 * @param trustedProxies              {@code PUSH_TRUSTED_PROXIES} (default none): comma-separated IP addresses
 *                                    or CIDR ranges of load balancers whose {@code X-Forwarded-For} names the client
 * @param clientFramesPerSecond       {@code PUSH_CLIENT_FRAMES_PER_SECOND} (default 20): frames (text, binary,
 *                                    ping) one connection may send per second; past it the connection closes 1008
 * @param memoryShedPercent           {@code PUSH_MEMORY_SHED_PERCENT} (default 90): when the old generation
 *                                    after the last GC fills more than this share of its maximum, upgrades get
 *                                    503 and {@code /readyz} says "memory"; 100 turns shedding off
 */
public record LimitSettings(int maxClientFrameBytes, int maxConnections, int maxSessionsPerUser,
                            int connectsPerUserPerMinute, int connectsPerAddressPerMinute,
                            Set<AddressRange> trustedProxies, int clientFramesPerSecond, int memoryShedPercent) {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public LimitSettings {
        positive("PUSH_MAX_CLIENT_FRAME_BYTES", maxClientFrameBytes);
        positive("PUSH_MAX_CONNECTIONS", maxConnections);
        positive("PUSH_MAX_SESSIONS_PER_USER", maxSessionsPerUser);
        positive("PUSH_CONNECTS_PER_USER_PER_MINUTE", connectsPerUserPerMinute);
        positive("PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE", connectsPerAddressPerMinute);
        positive("PUSH_CLIENT_FRAMES_PER_SECOND", clientFramesPerSecond);
        if (memoryShedPercent < 1 || memoryShedPercent > 100) {
            throw new ConfigException("PUSH_MEMORY_SHED_PERCENT must be between 1 and 100, not " + memoryShedPercent);
        }
        trustedProxies = Set.copyOf(trustedProxies);
    }

    public static LimitSettings fromEnv(Env env) {
        return new LimitSettings(
                env.integer("PUSH_MAX_CLIENT_FRAME_BYTES", FrameCodec.MAX_CLIENT_FRAME_CHARS * 4, 125, 16 * 1024 * 1024),
                env.integer("PUSH_MAX_CONNECTIONS", 50_000, 1, 10_000_000),
                env.integer("PUSH_MAX_SESSIONS_PER_USER", 16, 1, 100_000),
                env.integer("PUSH_CONNECTS_PER_USER_PER_MINUTE", 30, 1, 1_000_000),
                env.integer("PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE", 600, 1, 10_000_000),
                addresses("PUSH_TRUSTED_PROXIES", env.string("PUSH_TRUSTED_PROXIES", "")),
                env.integer("PUSH_CLIENT_FRAMES_PER_SECOND", 20, 1, 100_000),
                env.integer("PUSH_MEMORY_SHED_PERCENT", 90, 1, 100));
    }

    /** Parses IP literals and ranges only: a host name here would mean a DNS lookup at start and trust in DNS. */
    static Set<AddressRange> addresses(String variable, String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            AddressRange range = AddressRange.parse(s);
            if (range == null) {
                throw new ConfigException(variable + " must list IP addresses or CIDR ranges, not \"" + s + "\"");
            }
            return range;
        }).collect(Collectors.toUnmodifiableSet());
    }

    /** @return the address, or null when {@code text} is not an IP literal */
    static InetAddress literal(String text) {
        if (!IP_LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static void positive(String variable, int value) {
        if (value < 1) {
            throw new ConfigException(variable + " must be at least 1, not " + value);
        }
    }
}
