package io.pushfabric.connector.auth;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.pushfabric.contracts.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Mints HS256 tokens with the shared secret. Production tokens come from the product's own login; this
 * is for the local launcher, the load generator and tests.
 */
public final class TokenIssuer {
    private final SecretKey key;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public TokenIssuer(AuthSettings settings, Clock clock) {
        this.key = Keys.hmacShaKeyFor(settings.secret().getBytes(StandardCharsets.UTF_8));
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        this.clock = clock;
    }

    public String issue(UserId user, Duration validity) {
        return issue(user, validity, Map.of());
    }

    /** A connection token whose session joins {@code channels} at connect. */
    public String issueWithChannels(UserId user, Duration validity, List<String> channels) {
        return issue(user, validity, Map.of("channels", channels));
    }

    /** A subscription token: lets {@code user} join {@code channel} with a subscribe frame. */
    public String issueSubscription(UserId user, String channel, Duration validity) {
        return issue(user, validity, Map.of("channel", channel));
    }

    private String issue(UserId user, Duration validity, Map<String, Object> claims) {
        Date now = Date.from(clock.instant());
        var builder = Jwts.builder()
                .claims(claims)
                .subject(user.value())
                .issuedAt(now)
                .expiration(Date.from(clock.instant().plus(validity)));
        if (issuer != null) {
            builder.issuer(issuer);
        }
        if (audience != null) {
            builder.audience().add(audience);
        }
        return builder.signWith(key, Jwts.SIG.HS256).compact();
    }
}
