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
                .hasMessage("PUSH_JWT_SECRET is required (or PUSH_JWKS_URL, for RS256/ES256 tokens)");

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

    @Test
    void hmacAlgorithmNeedingALongerSecretFailsStartNamingTheVariable() {
        assertThatThrownBy(() -> AuthSettings.fromEnv(new Env(Map.of("PUSH_JWT_SECRET", SECRET_32,
                "PUSH_JWT_ALGORITHMS", "HS256,HS512"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PUSH_JWT_SECRET")
                .hasMessageContaining("HS512")
                .hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> AuthSettings.fromEnv(new Env(Map.of("PUSH_JWT_SECRET", SECRET_32 + "0123456789",
                "PUSH_JWT_ALGORITHMS", "HS384"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("48 bytes");
    }

    @Test
    void publicDevSecretIsRefusedOutsideTheDevLauncher() {
        Map<String, String> vars = Map.of("PUSH_JWT_SECRET", "pushfabric-DEV-ONLY-jwt-secret-public-in-source-code");

        assertThatThrownBy(() -> AuthSettings.fromEnv(new Env(vars)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PUSH_JWT_SECRET")
                .hasMessageContaining("./pushfabric dev");
        assertThat(AuthSettings.fromEnvInDevLauncher(new Env(vars)).secret()).isEqualTo(AuthSettings.DEV_ONLY_SECRET);
    }
}
