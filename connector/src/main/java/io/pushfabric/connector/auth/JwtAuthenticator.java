package io.pushfabric.connector.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.Keys;
import io.pushfabric.contracts.UserId;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * Checks the JWT a client presents at the WebSocket upgrade (and in a {@code refresh} frame): signed with an
 * algorithm of {@code PUSH_JWT_ALGORITHMS} (HMAC with the shared secret, RS256/ES256 with a key of the
 * identity provider's JWKS), carrying an expiry that has not passed, and, when configured, from the expected
 * issuer for the expected audience. The {@code sub} claim is the user id.
 */
public final class JwtAuthenticator {
    /** Why a token was refused; logged at DEBUG and counted, never echoed with the token. */
    public enum Failure {
        MISSING, MALFORMED, BAD_ALGORITHM, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, BAD_CLAIMS
    }

    /**
     * The outcome: either {@code user} and {@code validUntil} (the token's {@code exp} plus the clock skew: the
     * last instant it is accepted), or {@code failure}. {@code channels} is the token's {@code channels} claim (the
     * channels a connection token subscribes its session to; empty when absent) and {@code channel} its
     * {@code channel} claim (the channel a subscription token grants; null when absent).
     */
    public record Result(UserId user, Instant validUntil, Failure failure, List<String> channels, String channel) {
        public Result {
            channels = channels == null ? List.of() : List.copyOf(channels);
        }

        public Result(UserId user, Instant validUntil, Failure failure) {
            this(user, validUntil, failure, List.of(), null);
        }

        static Result ok(UserId user, Instant validUntil, List<String> channels, String channel) {
            return new Result(user, validUntil, null, channels, channel);
        }

        public static Result refused(Failure failure) {
            return new Result(null, null, failure);
        }

        public boolean isOk() {
            return user != null;
        }
    }

    /** Thrown by the key locator; carries the failure to report. */
    private static final class Refused extends JwtException {
        private final Failure failure;

        Refused(Failure failure, String message) {
            super(message);
            this.failure = failure;
        }
    }

    private final JwtParser parser;
    private final Duration clockSkew;
    private final boolean mayBlock;

    public JwtAuthenticator(AuthSettings settings, Clock clock) {
        this(settings, clock, settings.jwksUrl() == null ? null : new JwksKeys(settings));
    }

    JwtAuthenticator(AuthSettings settings, Clock clock, JwksKeys jwks) {
        SecretKey secret = settings.secret() == null ? null
                : Keys.hmacShaKeyFor(settings.secret().getBytes(StandardCharsets.UTF_8));
        Set<JwtAlgorithm> allowed = settings.algorithms();
        this.mayBlock = jwks != null;
        this.clockSkew = Duration.ofSeconds((settings.clockSkew().toMillis() + 999) / 1000);
        JwtParserBuilder builder = Jwts.parser()
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(JwsHeader header) {
                        return key(header, allowed, secret, jwks);
                    }
                })
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(clockSkew.toSeconds());
        if (settings.issuer() != null) {
            builder.requireIssuer(settings.issuer());
        }
        if (settings.audience() != null) {
            builder.requireAudience(settings.audience());
        }
        this.parser = builder.build();
    }

    private static Key key(JwsHeader header, Set<JwtAlgorithm> allowed, SecretKey secret, JwksKeys jwks) {
        JwtAlgorithm algorithm;
        try {
            algorithm = JwtAlgorithm.valueOf(String.valueOf(header.getAlgorithm()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Refused(Failure.BAD_ALGORITHM, "algorithm not supported");
        }
        if (!allowed.contains(algorithm)) {
            throw new Refused(Failure.BAD_ALGORITHM, algorithm + " is not accepted");
        }
        if (algorithm.isHmac()) {
            return secret;
        }
        try {
            return jwks.find(algorithm, header.getKeyId());
        } catch (JwksKeys.KeyNotFound e) {
            throw new Refused(Failure.UNKNOWN_KEY, e.getMessage());
        }
    }

    /** True when {@link #authenticate} may wait for the JWKS URL (up to its 2 s timeout): keep it off I/O threads. */
    public boolean mayBlock() {
        return mayBlock;
    }

    /** A claim that must be an array of strings when present; anything else makes the token's claims bad. */
    private static List<String> stringList(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> items)) {
            throw new IllegalArgumentException("claim 'channels' must be an array of strings");
        }
        List<String> result = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String text)) {
                throw new IllegalArgumentException("claim 'channels' must be an array of strings");
            }
            result.add(text);
        }
        return result;
    }

    public Result authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Result.refused(Failure.MISSING);
        }
        try {
            Claims claims = parser.parseSignedClaims(token.trim()).getPayload();
            String subject = claims.getSubject();
            if (subject == null || claims.getExpiration() == null) {
                return Result.refused(Failure.BAD_CLAIMS); // a token that never expires is not accepted
            }
            return Result.ok(new UserId(subject), claims.getExpiration().toInstant().plus(clockSkew),
                    stringList(claims.get("channels")), claims.get("channel") instanceof String c ? c : null);
        } catch (Refused e) {
            return Result.refused(e.failure);
        } catch (ExpiredJwtException e) {
            return Result.refused(Failure.EXPIRED);
        } catch (io.jsonwebtoken.security.SignatureException e) {
            return Result.refused(Failure.BAD_SIGNATURE);
        } catch (io.jsonwebtoken.MalformedJwtException | io.jsonwebtoken.UnsupportedJwtException e) {
            return Result.refused(Failure.MALFORMED);
        } catch (JwtException | IllegalArgumentException e) {
            return Result.refused(Failure.BAD_CLAIMS);
        }
    }
}
