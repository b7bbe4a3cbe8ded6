package io.pushfabric.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QuietFabricTest {
    @Test
    void theCompilersShareOfTheHoldCountsOnlyWhatTheyDidDuringIt() {
        // kafka compiled 0.6 s during a 60 s hold; the dispatcher's first reading came during the hold (0.3 s)
        Map<String, Double> before = Map.of("kafka", 12.0, "connector-0", 8.0);
        Map<String, Double> after = Map.of("kafka", 12.6, "connector-0", 8.0, "dispatcher", 0.3);

        assertThat(QuietFabric.compilerPercent(before, after, 60)).isCloseTo(1.5, within(1e-9));
        assertThat(QuietFabric.compilerPercent(before, after, 0)).as("no window, no share").isZero();
    }
}
