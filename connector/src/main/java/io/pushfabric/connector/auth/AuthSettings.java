package io.pushfabric.connector.auth;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a connector checks client tokens.
 *
 * @param secret         {@code PUSH_JWT_SECRET}: the HMAC secret; required when an HS algorithm is accepted,
 *                       at least as long as the longest accepted one needs (HS256 32, HS384 48, HS512 64 bytes)
 * @param jwksUrl        {@code PUSH_JWKS_URL} (optional): where the identity provider publishes its public keys
 *                       (RS256, ES256)
 * @param algorithms     {@code PUSH_JWT_ALGORITHMS} (default: HS256 with a secret, RS256 and ES256 with a JWKS URL)
 * @param issuer         {@code PUSH_JWT_ISSUER} (optional): required {@code iss}
 * @param audience       {@code PUSH_JWT_AUDIENCE} (optional): required {@code aud}
 * @param clockSkew      {@code PUSH_JWT_CLOCK_SKEW_MS} (default 30000): tolerance on {@code exp}/{@code nbf}
 * @param jwksCacheTtl   {@code PUSH_JWKS_CACHE_MS} (default 300000): how long fetched keys are used before a refetch
 * @param jwksMinRefresh {@code PUSH_JWKS_MIN_REFRESH_MS} (default 30000): at most one refetch per this interval,
 *                       however many tokens with an unknown {@code kid} arrive
 * @param allowedOrigins {@code PUSH_ALLOWED_ORIGINS} (default empty: any): the browser origins allowed to upgrade
 */
public record AuthSettings(String secret, URI jwksUrl, Set<JwtAlgorithm> algorithms, String issuer, String audience,
                           Duration clockSkew, Duration jwksCacheTtl, Duration jwksMinRefresh,
                           Set<String> allowedOrigins) {
    public static final int MIN_SECRET_BYTES = JwtAlgorithm.HS256.minSecretBytes();
    /**
     * The secret of {@code ./pushfabric dev}, {@code ./pushfabric token} and the load generator's dev mode. It is
     * in the source code, so a token signed with it proves nothing: {@link #fromEnv} refuses it.
     */
    public static final String DEV_ONLY_SECRET = "pushfabric-DEV-ONLY-jwt-secret-public-in-source-code";

    public AuthSettings {
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
        Objects.requireNonNull(jwksMinRefresh, "jwksMinRefresh");
        if (algorithms.isEmpty()) {
            throw new ConfigException("PUSH_JWT_ALGORITHMS names no algorithm");
        }
        algorithms = Set.copyOf(algorithms);
        allowedOrigins = Set.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (!origin.matches("https?://[^/?#\\s]+")) {
                throw new ConfigException("PUSH_ALLOWED_ORIGINS: '" + origin
                        + "' is not an origin (scheme://host[:port], e.g. https://app.example.com)");
            }
        }
        int secretBytes = secret == null ? 0 : secret.getBytes(StandardCharsets.UTF_8).length;
        for (JwtAlgorithm algorithm : EnumSet.copyOf(algorithms)) {
            if (algorithm.isHmac() && secretBytes < algorithm.minSecretBytes()) {
                throw new ConfigException("PUSH_JWT_SECRET must be at least " + algorithm.minSecretBytes()
                        + " bytes (" + algorithm + (algorithm == JwtAlgorithm.HS256 ? "" : " is in PUSH_JWT_ALGORITHMS")
                        + ")");
            }
            if (!algorithm.isHmac() && jwksUrl == null) {
                throw new ConfigException("PUSH_JWKS_URL is required: " + algorithm + " is in PUSH_JWT_ALGORITHMS");
            }
        }
    }

    /** HS256 only, with the shared secret: the launcher, the load generator and tests. */
    public AuthSettings(String secret, String issuer, String audience, Duration clockSkew) {
        this(secret, null, Set.of(JwtAlgorithm.HS256), issuer, audience, clockSkew, Duration.ofMinutes(5),
                Duration.ofSeconds(30), Set.of());
    }

    /** For a connector anyone can reach: the public dev secret is refused. */
    public static AuthSettings fromEnv(Env env) {
        AuthSettings settings = read(env);
        if (DEV_ONLY_SECRET.equals(settings.secret())) {
            throw new ConfigException("PUSH_JWT_SECRET is the public dev-only secret of ./pushfabric dev; "
                    + "set a random secret of your own (at least 32 bytes)");
        }
        return settings;
    }

    /** For the connectors {@code ./pushfabric dev} runs on loopback: the dev secret is what they use. */
    public static AuthSettings fromEnvInDevLauncher(Env env) {
        return read(env);
    }

    private static AuthSettings read(Env env) {
        String secret = env.optional("PUSH_JWT_SECRET").orElse(null);
        URI jwks = env.optional("PUSH_JWKS_URL").map(AuthSettings::uri).orElse(null);
        if (secret == null && jwks == null) {
            throw new ConfigException("PUSH_JWT_SECRET is required (or PUSH_JWKS_URL, for RS256/ES256 tokens)");
        }
        Set<JwtAlgorithm> defaults = EnumSet.noneOf(JwtAlgorithm.class);
        if (secret != null) {
            defaults.add(JwtAlgorithm.HS256);
        }
        if (jwks != null) {
            defaults.add(JwtAlgorithm.RS256);
            defaults.add(JwtAlgorithm.ES256);
        }
        Set<JwtAlgorithm> algorithms = env.optional("PUSH_JWT_ALGORITHMS")
                .map(text -> JwtAlgorithm.parseList("PUSH_JWT_ALGORITHMS", text)).orElse(defaults);
        return new AuthSettings(secret, jwks, algorithms, env.optional("PUSH_JWT_ISSUER").orElse(null),
                env.optional("PUSH_JWT_AUDIENCE").orElse(null),
                env.millis("PUSH_JWT_CLOCK_SKEW_MS", Duration.ofSeconds(30), Duration.ZERO),
                env.millis("PUSH_JWKS_CACHE_MS", Duration.ofMinutes(5), Duration.ofSeconds(1)),
                env.millis("PUSH_JWKS_MIN_REFRESH_MS", Duration.ofSeconds(30), Duration.ofMillis(100)),
                origins(env.string("PUSH_ALLOWED_ORIGINS", "")));
    }

    private static Set<String> origins(String text) {
        Set<String> origins = new java.util.LinkedHashSet<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                origins.add(part.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return origins;
    }

    private static URI uri(String text) {
        try {
            URI uri = URI.create(text);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new ConfigException("PUSH_JWKS_URL must be an http(s) URL, not '" + text + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("PUSH_JWKS_URL is not a URL: '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return "AuthSettings[secret=" + (secret == null ? "none" : "****") + ", jwks=" + jwksUrl + ", algorithms="
                + EnumSet.copyOf(algorithms) + ", issuer=" + issuer + ", audience=" + audience + ", clockSkew="
                + clockSkew + ", allowedOrigins=" + (allowedOrigins.isEmpty() ? "any" : allowedOrigins) + "]";
    }
}
