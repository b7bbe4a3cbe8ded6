package io.pushfabric.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.pushfabric.connector.auth.JwtAuthenticator.Failure;
import io.pushfabric.connector.auth.JwtAuthenticator.Result;
import io.pushfabric.contracts.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final UserId ALICE = UserId.of("alice");
    private static final Duration SKEW = Duration.ofSeconds(30);

    private static AuthSettings settings(String secret, String issuer, String audience) {
        return new AuthSettings(secret, issuer, audience, SKEW);
    }

    private static JwtAuthenticator authenticator(String issuer, String audience) {
        return new JwtAuthenticator(settings(SECRET, issuer, audience), CLOCK);
    }

    private final JwtAuthenticator auth = authenticator(null, null);

    private static SecretKey key(String secret) {
        return Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String issue(String secret, Clock clock, Duration validity) {
        return new TokenIssuer(settings(secret, null, null), clock).issue(ALICE, validity);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Result refused(Failure failure) {
        return Result.refused(failure);
    }

    @Test
    void validTokenYieldsItsSubjectAsUser() {
        Result result = auth.authenticate(issue(SECRET, CLOCK, Duration.ofMinutes(5)));

        assertThat(result.isOk()).isTrue();
        assertThat(result).isEqualTo(new Result(ALICE, NOW.plus(Duration.ofMinutes(5)).plus(SKEW), null));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(auth.authenticate("  " + issue(SECRET, CLOCK, Duration.ofMinutes(5)) + "\n").user())
                .isEqualTo(ALICE);
    }

    @Test
    void missingTokenIsMissing() {
        assertThat(auth.authenticate(null)).isEqualTo(refused(Failure.MISSING));
        assertThat(auth.authenticate("")).isEqualTo(refused(Failure.MISSING));
        assertThat(auth.authenticate("   ")).isEqualTo(refused(Failure.MISSING));
    }

    @Test
    void tokenWithAnotherUsersClaimsUnderTheOriginalSignatureHasABadSignature() {
        String[] parts = issue(SECRET, CLOCK, Duration.ofMinutes(5)).split("\\.");
        String forgedClaims = base64Url("{\"sub\":\"mallory\",\"exp\":" + (NOW.getEpochSecond() + 300) + "}");

        Result result = auth.authenticate(parts[0] + "." + forgedClaims + "." + parts[2]);

        assertThat(result).isEqualTo(refused(Failure.BAD_SIGNATURE));
    }

    @Test
    void tamperedSignatureIsABadSignature() {
        String[] parts = issue(SECRET, CLOCK, Duration.ofMinutes(5)).split("\\.");
        char first = parts[2].charAt(0);
        String tampered = (first == 'A' ? 'B' : 'A') + parts[2].substring(1);

        Result result = auth.authenticate(parts[0] + "." + parts[1] + "." + tampered);

        assertThat(result).isEqualTo(refused(Failure.BAD_SIGNATURE));
    }

    @Test
    void tokenSignedWithAnotherSecretIsABadSignature() {
        assertThat(auth.authenticate(issue(OTHER_SECRET, CLOCK, Duration.ofMinutes(5))))
                .isEqualTo(refused(Failure.BAD_SIGNATURE));
    }

    @Test
    void tokenExpiredLongerAgoThanTheClockSkewIsExpired() {
        Clock issuedEarlier = Clock.offset(CLOCK, Duration.ofMinutes(-10));

        String token = issue(SECRET, issuedEarlier, Duration.ofMinutes(9)); // expired 60 s ago

        assertThat(auth.authenticate(token)).isEqualTo(refused(Failure.EXPIRED));
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsAccepted() {
        Clock issuedEarlier = Clock.offset(CLOCK, Duration.ofMinutes(-10));

        String token = issue(SECRET, issuedEarlier, Duration.ofMinutes(10).minusSeconds(10)); // expired 10 s ago

        assertThat(auth.authenticate(token).user()).isEqualTo(ALICE);
    }

    @Test
    void garbageIsMalformed() {
        assertThat(auth.authenticate("not-a-jwt")).isEqualTo(refused(Failure.MALFORMED));
        assertThat(auth.authenticate("a.b.c")).isEqualTo(refused(Failure.MALFORMED));
    }

    @Test
    void tokenWithoutSubjectHasBadClaims() {
        String token = Jwts.builder()
                .issuedAt(Date.from(NOW))
                .expiration(Date.from(NOW.plusSeconds(300)))
                .signWith(key(SECRET), Jwts.SIG.HS256)
                .compact();

        assertThat(auth.authenticate(token)).isEqualTo(refused(Failure.BAD_CLAIMS));
    }

    @Test
    void tokenWhoseSubjectIsNotAValidUserIdHasBadClaims() {
        String token = Jwts.builder()
                .subject("*")
                .expiration(Date.from(NOW.plusSeconds(300)))
                .signWith(key(SECRET), Jwts.SIG.HS256)
                .compact();

        assertThat(auth.authenticate(token)).isEqualTo(refused(Failure.BAD_CLAIMS));
    }

    @Test
    void tokenNotValidYetBeyondTheSkewIsRefused() {
        String token = Jwts.builder()
                .subject("alice")
                .notBefore(Date.from(NOW.plusSeconds(120)))
                .expiration(Date.from(NOW.plusSeconds(300)))
                .signWith(key(SECRET), Jwts.SIG.HS256)
                .compact();

        assertThat(auth.authenticate(token).isOk()).isFalse();
    }

    @Test
    void configuredIssuerIsRequired() {
        JwtAuthenticator strict = authenticator("https://login.example", null);
        String right = new TokenIssuer(settings(SECRET, "https://login.example", null), CLOCK)
                .issue(ALICE, Duration.ofMinutes(5));
        String wrong = new TokenIssuer(settings(SECRET, "https://evil.example", null), CLOCK)
                .issue(ALICE, Duration.ofMinutes(5));
        String none = issue(SECRET, CLOCK, Duration.ofMinutes(5));

        assertThat(strict.authenticate(right).user()).isEqualTo(ALICE);
        assertThat(strict.authenticate(wrong)).isEqualTo(refused(Failure.BAD_CLAIMS));
        assertThat(strict.authenticate(none)).isEqualTo(refused(Failure.BAD_CLAIMS));
    }

    @Test
    void configuredAudienceIsRequired() {
        JwtAuthenticator strict = authenticator(null, "pushfabric");
        String right = new TokenIssuer(settings(SECRET, null, "pushfabric"), CLOCK).issue(ALICE, Duration.ofMinutes(5));
        String wrong = new TokenIssuer(settings(SECRET, null, "billing"), CLOCK).issue(ALICE, Duration.ofMinutes(5));
        String none = issue(SECRET, CLOCK, Duration.ofMinutes(5));

        assertThat(strict.authenticate(right).user()).isEqualTo(ALICE);
        assertThat(strict.authenticate(wrong)).isEqualTo(refused(Failure.BAD_CLAIMS));
        assertThat(strict.authenticate(none)).isEqualTo(refused(Failure.BAD_CLAIMS));
    }

    @Test
    void unsignedTokenIsRefused() {
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = base64Url("{\"sub\":\"alice\",\"exp\":" + (NOW.getEpochSecond() + 300) + "}");

        Result withoutSignature = auth.authenticate(header + "." + claims + ".");

        assertThat(withoutSignature.isOk()).isFalse();
        assertThat(withoutSignature.failure()).isEqualTo(Failure.MALFORMED);
    }

    @Test
    void unsignedTokenCarryingAValidSignatureIsRefused() {
        String[] signed = issue(SECRET, CLOCK, Duration.ofMinutes(5)).split("\\.");
        String header = base64Url("{\"alg\":\"none\"}");

        Result result = auth.authenticate(header + "." + signed[1] + "." + signed[2]);

        assertThat(result.isOk()).isFalse();
    }

    @Test
    void hmacAlgorithmsAllowedWithALongEnoughSecretAreAcceptedAndOthersRefusedAsBadAlgorithm() {
        String secret64 = SECRET + SECRET;
        JwtAuthenticator all = new JwtAuthenticator(new AuthSettings(secret64, null,
                java.util.Set.of(JwtAlgorithm.HS256, JwtAlgorithm.HS384, JwtAlgorithm.HS512), null, null, SKEW,
                Duration.ofMinutes(5), Duration.ofSeconds(30), java.util.Set.of()), CLOCK);
        JwtAuthenticator hs256Only = new JwtAuthenticator(settings(secret64, null, null), CLOCK);
        String hs512 = Jwts.builder().subject("alice").expiration(Date.from(NOW.plusSeconds(300)))
                .signWith(key(secret64), Jwts.SIG.HS512).compact();

        assertThat(all.authenticate(hs512).user()).isEqualTo(ALICE);
        assertThat(hs256Only.authenticate(hs512)).isEqualTo(refused(Failure.BAD_ALGORITHM));
    }
}
