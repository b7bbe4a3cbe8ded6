package io.pushfabric.connector.auth;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * @param secret    {@code PUSH_JWT_SECRET} (required): the HMAC secret, at least 32 bytes
 * @param issuer    {@code PUSH_JWT_ISSUER} (optional): required {@code iss}
 * @param audience  {@code PUSH_JWT_AUDIENCE} (optional): required {@code aud}
 * @param clockSkew {@code PUSH_JWT_CLOCK_SKEW_MS} (default 30000): tolerance on {@code exp}/{@code nbf}
 */
public record AuthSettings(String secret, String issuer, String audience, Duration clockSkew) {
    public static final int MIN_SECRET_BYTES = 32;

    public AuthSettings {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ConfigException("PUSH_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes (HS256)");
        }
    }

    public static AuthSettings fromEnv(Env env) {
        return new AuthSettings(env.required("PUSH_JWT_SECRET"), env.optional("PUSH_JWT_ISSUER").orElse(null),
                env.optional("PUSH_JWT_AUDIENCE").orElse(null),
                env.millis("PUSH_JWT_CLOCK_SKEW_MS", Duration.ofSeconds(30), Duration.ZERO));
    }

    @Override
    public String toString() {
        return "AuthSettings[secret=****, issuer=" + issuer + ", audience=" + audience + ", clockSkew=" + clockSkew + "]";
    }
}
