package io.pushfabric.connector.auth;

import io.pushfabric.contracts.config.ConfigException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The JWS algorithms a connector can accept ({@code PUSH_JWT_ALGORITHMS}). HMAC ones are checked with
 * {@code PUSH_JWT_SECRET}; RSA and EC ones with the keys published at {@code PUSH_JWKS_URL}.
 */
public enum JwtAlgorithm {
    HS256(32), HS384(48), HS512(64), RS256(0), ES256(0);

    private final int minSecretBytes;

    JwtAlgorithm(int minSecretBytes) {
        this.minSecretBytes = minSecretBytes;
    }

    public boolean isHmac() {
        return minSecretBytes > 0;
    }

    /** For an HMAC algorithm: the shortest secret it is secure with (RFC 7518 section 3.2). */
    public int minSecretBytes() {
        return minSecretBytes;
    }

    /** Parses {@code HS256,RS256}; the message names {@code variable} and the bad value. */
    static Set<JwtAlgorithm> parseList(String variable, String text) {
        Set<JwtAlgorithm> result = EnumSet.noneOf(JwtAlgorithm.class);
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                result.add(valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(variable + ": unknown algorithm '" + part.trim() + "' (known: "
                        + java.util.Arrays.toString(values()) + ")");
            }
        }
        if (result.isEmpty()) {
            throw new ConfigException(variable + " names no algorithm");
        }
        return result;
    }
}
