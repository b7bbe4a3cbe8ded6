package io.pushfabric.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.config.ConfigException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final String BACKEND = "b3f1c2d4e5-backend-key";
    private static final String OPS = "0a9b8c7d6e-ops-key";

    private final ApiKeys keys = ApiKeys.parse(
            ApiKeys.entry("backend", EnumSet.of(ApiScope.PUBLISH, ApiScope.PRESENCE), BACKEND) + ","
                    + ApiKeys.entry("ops", Set.of(ApiScope.PRESENCE), OPS), false);

    @Test
    void aPresentedKeyIsFoundByItsHashWithItsNameAndScopes() {
        ApiKey backend = keys.authenticate(BACKEND).orElseThrow();
        ApiKey ops = keys.authenticate(OPS).orElseThrow();

        assertThat(backend.name()).isEqualTo("backend");
        assertThat(backend.allows(ApiScope.PUBLISH)).isTrue();
        assertThat(ops.name()).isEqualTo("ops");
        assertThat(ops.allows(ApiScope.PUBLISH)).isFalse();
        assertThat(keys.authenticate(BACKEND + "x")).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
    }

    @Test
    void theHashIsSha256OfTheKeyAsSha256sumPrintsIt() {
        // printf %s abc | sha256sum
        ApiKeys abc = ApiKeys.parse("k:publish:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", false);

        assertThat(abc.authenticate("abc")).isPresent();
    }

    @Test
    void theConfigurationNamesKeysAndScopesButNeverShowsAHash() {
        assertThat(keys.toString()).contains("backend").contains("ops").doesNotContain(
                ApiKeys.entry("ops", Set.of(ApiScope.PRESENCE), OPS).split(":")[2]);
    }

    @Test
    void badEntriesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ApiKeys.parse("backend:publish", false)).hasMessageContaining("name:scope[+scope]:sha256hex");
        assertThatThrownBy(() -> ApiKeys.parse("backend:write:" + "00".repeat(32), false))
                .hasMessageContaining("unknown scope 'write'");
        assertThatThrownBy(() -> ApiKeys.parse("backend:publish:abcd", false)).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> ApiKeys.parse("backend:publish:zz", false)).hasMessageContaining("not hex");
        assertThatThrownBy(() -> ApiKeys.parse("a:publish:" + "00".repeat(32) + ",a:presence:" + "11".repeat(32), false))
                .hasMessageContaining("'a' appears twice");
    }

    @Test
    void productionRefusesThePublicDevKeyAndTheDevLauncherAcceptsIt() {
        String dev = ApiKeys.entry("dev", Set.of(ApiScope.PUBLISH), ApiKeys.DEV_ONLY_KEY);

        assertThatThrownBy(() -> ApiKeys.parse(dev, false)).hasMessageContaining("public dev key");
        assertThat(ApiKeys.parse(dev, true).authenticate(ApiKeys.DEV_ONLY_KEY)).isPresent();
    }

    @Test
    void theApiIsOffUnlessItsPortIsSetAndThenNeedsKeys() {
        assertThat(ApiSettings.fromEnv(Map.of())).isEmpty();
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("PUSH_API_PORT", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PUSH_API_KEYS is required");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("PUSH_API_PORT", "0", "PUSH_API_KEYS", "x:publish:00")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("PUSH_API_KEYS: ");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("PUSH_API_PORT", "0", "PUSH_API_KEYS",
                "x:publish:" + "00".repeat(32), "PUSH_API_MAX_BATCH", "100", "PUSH_API_RATE_BURST", "50")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PUSH_API_RATE_BURST=50");
        ApiSettings settings = ApiSettings.fromEnv(Map.of("PUSH_API_PORT", "9000", "PUSH_API_KEYS",
                "x:publish:" + "00".repeat(32))).orElseThrow();
        assertThat(settings.port()).isEqualTo(9000);
        assertThat(settings.maxBatch()).isEqualTo(500);
        assertThat(settings.describe()).contains("keys=[x[PUBLISH]]").doesNotContain("00".repeat(32));
    }
}
