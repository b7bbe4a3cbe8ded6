package io.pushfabric.connector.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.JOSEException;
import java.net.MalformedURLException;
import java.security.PublicKey;
import java.util.List;

/**
 * The identity provider's public keys, fetched from its JWKS URL by Nimbus JOSE+JWT: cached for
 * {@code PUSH_JWKS_CACHE_MS}, refetched when a token names a {@code kid} the cache does not hold (the IdP
 * rotated its keys), and never refetched more than once per {@code PUSH_JWKS_MIN_REFRESH_MS}, so a flood of
 * tokens with made-up kids cannot hammer the IdP.
 */
final class JwksKeys {
    /** No key for the token: unknown kid, wrong type, or the JWKS URL could not be read. */
    static final class KeyNotFound extends Exception {
        KeyNotFound(String message) {
            super(message);
        }
    }

    private static final int TIMEOUT_MS = 2_000;
    private static final int MAX_BYTES = 256 * 1024;

    private final JWKSource<SecurityContext> source;

    JwksKeys(AuthSettings settings) {
        try {
            this.source = JWKSourceBuilder.create(settings.jwksUrl().toURL(),
                            new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, MAX_BYTES))
                    .cache(settings.jwksCacheTtl().toMillis(), TIMEOUT_MS)
                    .rateLimited(settings.jwksMinRefresh().toMillis())
                    .retrying(false)
                    .refreshAheadCache(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("PUSH_JWKS_URL: " + e.getMessage(), e);
        }
    }

    /** The signing key named {@code kid} (any signing key of the type when the token names none). */
    PublicKey find(JwtAlgorithm algorithm, String kid) throws KeyNotFound {
        KeyType type = algorithm == JwtAlgorithm.ES256 ? KeyType.EC : KeyType.RSA;
        JWKMatcher.Builder matcher = new JWKMatcher.Builder().keyType(type).keyUses(KeyUse.SIGNATURE, null);
        if (kid != null) {
            matcher.keyID(kid);
        }
        List<JWK> keys;
        try {
            keys = source.get(new JWKSelector(matcher.build()), null);
        } catch (KeySourceException e) {
            throw new KeyNotFound("JWKS not available: " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new KeyNotFound("no " + type + " key with kid " + kid);
        }
        try {
            JWK key = keys.get(0);
            return key instanceof ECKey ec ? ec.toECPublicKey() : ((RSAKey) key).toRSAPublicKey();
        } catch (JOSEException e) {
            throw new KeyNotFound("unusable key " + kid + ": " + e.getMessage());
        }
    }
}
