package io.pushfabric.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {
    private static final String SECRET_32 = "0123456789abcdef0123456789abcdef";

    @Test
    void secretOfThirtyTwoBytesIsAccepted() {
        assertThat(new AuthSettings(SECRET_32, null, null, Duration.ZERO).secret()).isEqualTo(SECRET_32);
    }

    @Test
    void secretUnderThirtyTwoBytesIsRejectedNamingTheVariable() {
        assertThatThrownBy(() -> new AuthSettings(SECRET_32.substring(1), null, null, Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_JWT_SECRET must be at least 32 bytes (HS256)");
        assertThatThrownBy(() -> new AuthSettings(null, null, null, Duration.ZERO))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void secretLengthIsCountedInUtf8Bytes() {
        String sixteenTwoByteChars = "é".repeat(16);

        assertThat(new AuthSettings(sixteenTwoByteChars, null, null, Duration.ZERO).secret())
                .isEqualTo(sixteenTwoByteChars);
    }

    @Test
    void fromEnvRequiresTheSecretAndDefaultsTheSkew() {
        assertThatThrownBy(() -> AuthSettings.fromEnv(new Env(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_JWT_SECRET is required");

        AuthSettings settings = AuthSettings.fromEnv(new Env(Map.of("PUSH_JWT_SECRET", SECRET_32)));

        assertThat(settings).isEqualTo(new AuthSettings(SECRET_32, null, null, Duration.ofSeconds(30)));
    }

    @Test
    void fromEnvReadsIssuerAudienceAndSkew() {
        AuthSettings settings = AuthSettings.fromEnv(new Env(Map.of("PUSH_JWT_SECRET", SECRET_32,
                "PUSH_JWT_ISSUER", "https://login.example", "PUSH_JWT_AUDIENCE", "pushfabric",
                "PUSH_JWT_CLOCK_SKEW_MS", "5000")));

        assertThat(settings).isEqualTo(new AuthSettings(SECRET_32, "https://login.example", "pushfabric",
                Duration.ofSeconds(5)));
    }

    @Test
    void toStringHidesTheSecret() {
        assertThat(new AuthSettings(SECRET_32, "iss", null, Duration.ZERO).toString())
                .doesNotContain(SECRET_32)
                .contains("secret=****");
    }
}
