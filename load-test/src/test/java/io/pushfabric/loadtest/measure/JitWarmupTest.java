package io.pushfabric.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JitWarmupTest {
    /** One sample per second of the process's life from {@code from}, with these compiler CPU figures. */
    private static List<JitWarmup.Sample> seconds(double from, double... cpu) {
        List<JitWarmup.Sample> samples = new ArrayList<>();
        for (int i = 0; i < cpu.length; i++) {
            samples.add(new JitWarmup.Sample(from + i, from + i + 1, cpu[i]));
        }
        return samples;
    }

    @Test
    void quietFromTheFirstWindowAfterWhichEveryWindowAveragesBelowTheThreshold() {
        // ages 20..36: compiling hard for 4 s, then nothing; the window [23, 33] averages 0.5 %, [22, 32] 2.5 %
        List<JitWarmup.Sample> samples = seconds(20, 40, 30, 20, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        JitWarmup.Result r = JitWarmup.of(samples, 1, 10);

        assertThat(r.settledAtSeconds()).isEqualTo(23.0);
        assertThat(r.observedFromSeconds()).isEqualTo(20.0);
        assertThat(r.observedToSeconds()).isEqualTo(36.0);
        assertThat(r.compilerCpuSeconds()).isEqualTo(0.95);
        assertThat(r.verdict()).startsWith("quiet since 23 s");
    }

    @Test
    void aRelapseRestartsTheWait() {
        double[] cpu = new double[24];
        cpu[0] = 50;
        cpu[11] = 30; // a burst at 11..12 s: every window holding it is busy

        JitWarmup.Result r = JitWarmup.of(seconds(0, cpu), 1, 10);

        assertThat(r.settledAtSeconds()).isEqualTo(12.0);
    }

    @Test
    void oneTickASecondIsNotBusyWhenItAveragesBelowTheThreshold() {
        double[] cpu = new double[20];
        cpu[5] = 1; // one 10 ms tick: 1 % in its second, 0.1 % over any 10 s window
        cpu[15] = 1;

        assertThat(JitWarmup.of(seconds(0, cpu), 1, 10).settledAtSeconds()).isEqualTo(0.0);
    }

    @Test
    void notSettledWhileTheLastWindowIsBusyOrNoWindowWasSeen() {
        double[] busyAtTheEnd = new double[13];
        busyAtTheEnd[12] = 20;

        JitWarmup.Result late = JitWarmup.of(seconds(0, busyAtTheEnd), 1, 10);
        JitWarmup.Result shortRun = JitWarmup.of(seconds(10, 50, 50, 0, 0, 0), 1, 10);

        assertThat(late.settledAtSeconds()).isEqualTo(-1);
        assertThat(late.verdict()).startsWith("compilers still averaged >= 1% of a core over the last 10 s");
        assertThat(shortRun.settledAtSeconds()).isEqualTo(-1);
        assertThat(shortRun.verdict()).startsWith("observed for 5 s only");
    }

    @Test
    void alreadyQuietWhenNoWindowWasBusy() {
        JitWarmup.Result r = JitWarmup.of(seconds(100, new double[12]), 1, 10);

        assertThat(r.settledAtSeconds()).isEqualTo(100.0);
        assertThat(r.verdict()).startsWith("already quiet at the first reading, 100 s after");
    }

    @Test
    void reportsNothingWithoutSamples() {
        assertThat(JitWarmup.of(List.of(), 1, 10).settledAtSeconds()).isEqualTo(-1);
    }

    @Test
    void countsGrowthOfKeptThreadsAndAllOfNewOnes() {
        // thread 7 grew by 5, thread 8 ended (its last interval is unknown), thread 9 started with 3 ticks
        long spent = JitWarmup.ticksBetween(Map.of(7L, 100L, 8L, 40L), Map.of(7L, 105L, 9L, 3L));

        assertThat(spent).isEqualTo(8);
    }
}
