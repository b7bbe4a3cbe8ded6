package io.pushfabric.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void missingOrBlankValuesFallBackToDefaults() {
        Env env = new Env(Map.of("PUSH_BLANK", "   "));

        assertThat(env.string("PUSH_MISSING", "d")).isEqualTo("d");
        assertThat(env.string("PUSH_BLANK", "d")).isEqualTo("d");
        assertThat(env.integer("PUSH_MISSING", 7, 0, 10)).isEqualTo(7);
        assertThat(env.millis("PUSH_MISSING", Duration.ofSeconds(3), Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
        assertThat(env.bool("PUSH_MISSING", true)).isTrue();
        assertThat(env.optional("PUSH_BLANK")).isEmpty();
    }

    @Test
    void valuesAreTrimmed() {
        assertThat(new Env(Map.of("PUSH_NAME", "  value ")).string("PUSH_NAME", "d")).isEqualTo("value");
    }

    @Test
    void requiredValueThatIsMissingIsNamed() {
        assertThatThrownBy(() -> new Env(Map.of()).required("PUSH_JWT_SECRET"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_JWT_SECRET is required");
    }

    @Test
    void integerIsParsed() {
        assertThat(new Env(Map.of("PUSH_N", "42")).integer("PUSH_N", 1, 0, 100)).isEqualTo(42);
    }

    @Test
    void badIntegerNamesTheVariableAndValue() {
        assertThatThrownBy(() -> new Env(Map.of("PUSH_N", "forty")).integer("PUSH_N", 1, 0, 100))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_N=forty is not an integer");
    }

    @Test
    void integerOutsideItsBoundsNamesThem() {
        Env env = new Env(Map.of("PUSH_LOW", "0", "PUSH_HIGH", "101"));

        assertThatThrownBy(() -> env.integer("PUSH_LOW", 1, 1, 100))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_LOW=0 must be between 1 and 100");
        assertThatThrownBy(() -> env.integer("PUSH_HIGH", 1, 1, 100))
                .hasMessage("PUSH_HIGH=101 must be between 1 and 100");
    }

    @Test
    void integerBoundsAreInclusive() {
        Env env = new Env(Map.of("PUSH_LOW", "1", "PUSH_HIGH", "100"));

        assertThat(env.integer("PUSH_LOW", 5, 1, 100)).isEqualTo(1);
        assertThat(env.integer("PUSH_HIGH", 5, 1, 100)).isEqualTo(100);
    }

    @Test
    void millisAreParsedAsADuration() {
        assertThat(new Env(Map.of("PUSH_TTL_MS", "1500")).millis("PUSH_TTL_MS", Duration.ZERO, Duration.ZERO))
                .isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void millisBelowTheMinimumAreNamed() {
        assertThatThrownBy(() -> new Env(Map.of("PUSH_TTL_MS", "99"))
                .millis("PUSH_TTL_MS", Duration.ofSeconds(1), Duration.ofMillis(100)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_TTL_MS=99 must be at least 100");
    }

    @Test
    void nonNumericMillisAreNamed() {
        assertThatThrownBy(() -> new Env(Map.of("PUSH_TTL_MS", "10s"))
                .millis("PUSH_TTL_MS", Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_TTL_MS=10s is not a whole number of milliseconds");
    }

    @Test
    void booleansAcceptTheCommonSpellings() {
        Env env = new Env(Map.of("A", "TRUE", "B", "1", "C", "yes", "D", "False", "E", "0", "F", "no"));

        assertThat(env.bool("A", false)).isTrue();
        assertThat(env.bool("B", false)).isTrue();
        assertThat(env.bool("C", false)).isTrue();
        assertThat(env.bool("D", true)).isFalse();
        assertThat(env.bool("E", true)).isFalse();
        assertThat(env.bool("F", true)).isFalse();
    }

    @Test
    void badBooleanNamesTheVariable() {
        assertThatThrownBy(() -> new Env(Map.of("PUSH_FLAG", "maybe")).bool("PUSH_FLAG", false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PUSH_FLAG=maybe is not a boolean (true/false)");
    }
}
