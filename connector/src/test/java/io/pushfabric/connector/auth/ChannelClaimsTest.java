package io.pushfabric.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.pushfabric.contracts.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The channel claims of tokens: {@code channels} on a connection token, {@code channel} on a subscription token. */
class ChannelClaimsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final AuthSettings SETTINGS = new AuthSettings(SECRET, null, null, Duration.ofSeconds(30));
    private static final UserId ALICE = UserId.of("alice");

    private final JwtAuthenticator auth = new JwtAuthenticator(SETTINGS, CLOCK);
    private final TokenIssuer issuer = new TokenIssuer(SETTINGS, CLOCK);

    @Test
    void connectionTokenCarriesItsChannels() {
        JwtAuthenticator.Result result = auth.authenticate(
                issuer.issueWithChannels(ALICE, Duration.ofMinutes(5), List.of("chat:lobby", "news")));
        assertThat(result.isOk()).isTrue();
        assertThat(result.channels()).containsExactly("chat:lobby", "news");
        assertThat(result.channel()).isNull();
    }

    @Test
    void subscriptionTokenCarriesItsChannelAndPlainTokensNone() {
        assertThat(auth.authenticate(issuer.issueSubscription(ALICE, "secret:plans", Duration.ofMinutes(5))).channel())
                .isEqualTo("secret:plans");
        JwtAuthenticator.Result plain = auth.authenticate(issuer.issue(ALICE, Duration.ofMinutes(5)));
        assertThat(plain.channels()).isEmpty();
        assertThat(plain.channel()).isNull();
    }

    @Test
    void channelsClaimThatIsNotAnArrayOfStringsMakesTheClaimsBad() {
        String token = Jwts.builder().subject("alice").claim("channels", "chat:lobby")
                .expiration(Date.from(CLOCK.instant().plusSeconds(300)))
                .signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256).compact();
        assertThat(auth.authenticate(token)).isEqualTo(JwtAuthenticator.Result.refused(JwtAuthenticator.Failure.BAD_CLAIMS));
    }

    @Test
    void aSubjectStartingWithTheChannelKeyPrefixIsRefused() {
        String token = Jwts.builder().subject("#chat:lobby").expiration(Date.from(CLOCK.instant().plusSeconds(300)))
                .signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256).compact();
        assertThat(auth.authenticate(token)).isEqualTo(JwtAuthenticator.Result.refused(JwtAuthenticator.Failure.BAD_CLAIMS));
    }
}
