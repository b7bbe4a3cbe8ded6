package io.pushfabric.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.pushfabric.connector.auth.JwtAuthenticator.Failure;
import io.pushfabric.contracts.UserId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RS256/ES256 tokens checked against keys a local HTTP server publishes, as an identity provider does. */
class JwksAuthenticatorTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final UserId ALICE = UserId.of("alice");

    private final AtomicReference<List<JWK>> published = new AtomicReference<>(List.of());
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer idp;

    @BeforeEach
    void startIdp() throws IOException {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(published.get()).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        idp.start();
    }

    @AfterEach
    void stopIdp() {
        idp.stop(0);
    }

    private JwtAuthenticator authenticator(Set<JwtAlgorithm> algorithms, String secret) {
        URI jwks = URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json");
        return new JwtAuthenticator(new AuthSettings(secret, jwks, algorithms, null, null, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofSeconds(30), Set.of()), CLOCK);
    }

    private JwtAuthenticator rs256Publishing(KeyPair key, String kid) {
        published.set(List.of(jwk(key, kid)));
        return authenticator(Set.of(JwtAlgorithm.RS256), null);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static JWK jwk(KeyPair pair, String kid) {
        if (pair.getPublic() instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyID(kid).build();
        }
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).keyID(kid).build();
    }

    private static String token(PrivateKey key, String kid, String subject) {
        return Jwts.builder().header().keyId(kid).and()
                .subject(subject)
                .expiration(Date.from(Instant.now().plusSeconds(300)))
                .signWith(key)
                .compact();
    }

    @Test
    void rotatedKeysAreFetchedOnceAndRemovedKeysRefused() throws Exception {
        KeyPair first = rsa();
        JwtAuthenticator auth = rs256Publishing(first, "k1");
        KeyPair second = rsa();

        assertThat(auth.authenticate(token(first.getPrivate(), "k1", "alice")).user()).isEqualTo(ALICE);
        assertThat(auth.authenticate(token(first.getPrivate(), "k1", "alice")).user()).isEqualTo(ALICE);
        assertThat(fetches).hasValue(1); // cached

        published.set(List.of(jwk(second, "k2"))); // the IdP rotates: k1 is withdrawn
        assertThat(auth.authenticate(token(second.getPrivate(), "k2", "alice")).user()).isEqualTo(ALICE);
        assertThat(fetches).hasValue(2); // the unknown kid made exactly one refetch

        assertThat(auth.authenticate(token(first.getPrivate(), "k1", "alice")).failure())
                .isEqualTo(Failure.UNKNOWN_KEY);
    }

    @Test
    void floodOfUnknownKidsDoesNotHammerTheIdentityProvider() throws Exception {
        KeyPair key = rsa();
        JwtAuthenticator auth = rs256Publishing(key, "k1");
        KeyPair stranger = rsa();
        assertThat(auth.authenticate(token(key.getPrivate(), "k1", "alice")).isOk()).isTrue();

        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            failures.add(auth.authenticate(token(stranger.getPrivate(), "made-up-" + i, "alice")).failure());
        }

        assertThat(failures).containsOnly(Failure.UNKNOWN_KEY);
        assertThat(fetches.get()).isLessThanOrEqualTo(2); // the first fill plus at most one refetch per window
        assertThat(auth.authenticate(token(key.getPrivate(), "k1", "alice")).isOk()).isTrue();
    }

    @Test
    void es256TokensAreCheckedAgainstTheirCurveKey() throws Exception {
        KeyPair key = ec();
        published.set(List.of(jwk(key, "ec-1")));
        JwtAuthenticator auth = authenticator(Set.of(JwtAlgorithm.RS256, JwtAlgorithm.ES256), null);

        assertThat(auth.authenticate(token(key.getPrivate(), "ec-1", "alice")).user()).isEqualTo(ALICE);
        assertThat(auth.authenticate(token(ec().getPrivate(), "ec-1", "alice")).failure())
                .isEqualTo(Failure.BAD_SIGNATURE);
    }

    @Test
    void hmacTokenIsRefusedWhenOnlyIdentityProviderKeysAreAccepted() throws Exception {
        KeyPair key = rsa();
        JwtAuthenticator auth = rs256Publishing(key, "k1");
        // The classic confusion attack: an HMAC token "signed" with the public key's bytes.
        String forged = Jwts.builder().header().keyId("k1").and().subject("mallory")
                .expiration(Date.from(Instant.now().plusSeconds(300)))
                .signWith(Keys.hmacShaKeyFor(key.getPublic().getEncoded()), Jwts.SIG.HS256).compact();

        assertThat(auth.authenticate(forged).failure()).isEqualTo(Failure.BAD_ALGORITHM);
    }

    @Test
    void hmacAndIdentityProviderTokensWorkSideBySide() throws Exception {
        KeyPair key = rsa();
        published.set(List.of(jwk(key, "k1")));
        String secret = "0123456789abcdef0123456789abcdef";
        JwtAuthenticator auth = authenticator(Set.of(JwtAlgorithm.HS256, JwtAlgorithm.RS256), secret);

        assertThat(auth.authenticate(token(key.getPrivate(), "k1", "alice")).user()).isEqualTo(ALICE);
        assertThat(auth.authenticate(new TokenIssuer(new AuthSettings(secret, null, null, Duration.ZERO), CLOCK)
                .issue(ALICE, Duration.ofMinutes(5))).user()).isEqualTo(ALICE);
    }
}
