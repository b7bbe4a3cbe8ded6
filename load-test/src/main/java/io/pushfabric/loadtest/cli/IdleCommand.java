package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.IdleCapacity;
import io.pushfabric.loadtest.scenario.Scenario;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Idle capacity of the connectors (--connectors, clients spread round robin): connect up to each level,"
                + " hold, measure resident memory and live heap per connection and the connect rate. Use --source-addresses past"
                + " ~28k connections; past one process's open files, several processes with --connect against load-test hold.")
final class IdleCommand extends ScenarioCommand {
    @Option(names = "--levels", split = ",", defaultValue = "10000",
            description = "Connection counts to reach, rising (default: ${DEFAULT-VALUE}).")
    List<Integer> levels;

    @Option(names = "--hold-s", defaultValue = "20", description = "Seconds to hold each level before measuring (default: ${DEFAULT-VALUE}).")
    long hold;

    @Option(names = "--no-heap-probe", description = "Skip the live-heap measurement (jcmd GC.run on the connector).")
    boolean noHeapProbe;

    @Option(names = "--connect-timeout-s", defaultValue = "120", description = "Time per level to connect (default: ${DEFAULT-VALUE}).")
    long connectTimeout;

    @Override
    Scenario scenario() {
        return new IdleCapacity(new IdleCapacity.Settings(levels, Duration.ofSeconds(hold), !noHeapProbe,
                Duration.ofSeconds(connectTimeout)));
    }

    @Override
    int clients() {
        return levels.stream().mapToInt(Integer::intValue).max().orElse(1);
    }
}
