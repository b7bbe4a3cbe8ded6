package io.pushfabric.loadtest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerSpecTest {
    @Test
    void lingerOptionWinsOverTheSamePassthroughProperty() {
        ProducerSpec spec = ProducerSpec.of(200, 0, Map.of("linger.ms", "5", "batch.size", "16384"));

        assertThat(spec.properties()).containsEntry("linger.ms", "0").containsEntry("batch.size", "16384");
        assertThat(spec.describe()).startsWith("200 producers, PushPublisher defaults overridden by {batch.size=16384, linger.ms=0}");
    }

    @Test
    void keepsThePublishersOwnSettingsByDefault() {
        assertThat(ProducerSpec.of(1, null, Map.of())).isEqualTo(ProducerSpec.DEFAULT);
        assertThat(ProducerSpec.DEFAULT.describe()).startsWith("1 producer, PushPublisher defaults");
    }

    @Test
    void refusesWhatTheLoadGeneratorSetsItselfAndBadCounts() {
        assertThatThrownBy(() -> ProducerSpec.of(1, null, Map.of("client.id", "x")))
                .hasMessageContaining("client.id is set by the load generator");
        assertThatThrownBy(() -> ProducerSpec.of(0, null, Map.of())).hasMessageContaining("--producers");
        assertThatThrownBy(() -> ProducerSpec.of(1, -1, Map.of())).hasMessageContaining("--producer-linger-ms");
    }
}
