package io.pushfabric.connector.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.pushfabric.contracts.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;

/**
 * Checks the JWT a client presents at the WebSocket upgrade: HMAC-signed (HS256 and up) with the
 * shared secret, carrying an expiry that has not passed, and, when configured, from the expected issuer
 * for the expected audience.
 * The {@code sub} claim is the user id.
 */
public final class JwtAuthenticator {
    /** Why a token was refused; logged at DEBUG and counted, never echoed with the token. */
    public enum Failure {
        MISSING, MALFORMED, BAD_SIGNATURE, EXPIRED, BAD_CLAIMS
    }

    /** The outcome: exactly one of {@code user} and {@code failure} is set. */
    public record Result(UserId user, Failure failure) {
        static Result ok(UserId user) {
            return new Result(user, null);
        }

        static Result refused(Failure failure) {
            return new Result(null, failure);
        }

        public boolean isOk() {
            return user != null;
        }
    }

    private final JwtParser parser;

    public JwtAuthenticator(AuthSettings settings, Clock clock) {
        JwtParserBuilder builder = Jwts.parser()
                .verifyWith(Keys.hmacShaKeyFor(settings.secret().getBytes(StandardCharsets.UTF_8)))
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds((settings.clockSkew().toMillis() + 999) / 1000);
        if (settings.issuer() != null) {
            builder.requireIssuer(settings.issuer());
        }
        if (settings.audience() != null) {
            builder.requireAudience(settings.audience());
        }
        this.parser = builder.build();
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
            return Result.ok(new UserId(subject));
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
