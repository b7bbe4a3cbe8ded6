package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.model.CapacityPlan;
import io.pushfabric.loadtest.model.Load;
import io.pushfabric.loadtest.model.RoutingTableSimulation;
import io.pushfabric.loadtest.model.UnitCosts;
import io.pushfabric.loadtest.model.ZoneLossStorm;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The capacity model and its simulations (docs/scaling.md): no fabric is started, nothing is measured. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Capacity plan for a target load from the measured unit costs of docs/benchmarks.md, a"
                + " routing-table simulation (Redis Cluster slots, fan-out, a hot user) and a zone-loss reconnect storm."
                + " Prints Markdown. Modelled, not measured: see docs/scaling.md.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--connections", defaultValue = "10000000", description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    long connections;

    @Option(names = "--targeted-rate", defaultValue = "1000000", description = "Targeted messages per second (default: ${DEFAULT-VALUE}).")
    double targeted;

    @Option(names = "--broadcast-rate", defaultValue = "5", description = "Broadcasts per second of the broadcast mix (default: ${DEFAULT-VALUE}).")
    double broadcasts;

    @Option(names = "--zones", defaultValue = "3", description = "Zones the connectors are spread over (default: ${DEFAULT-VALUE}).")
    int zones;

    @Option(names = "--cores", defaultValue = "4", description = "Cores per connector (default: ${DEFAULT-VALUE}).")
    int cores;

    @Option(names = "--redis-shards", defaultValue = "16", description = "Redis Cluster primaries for the routing table (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--hot-user-sessions", defaultValue = "10000", description = "Sessions of the one hot user (default: ${DEFAULT-VALUE}).")
    int hotUser;

    @Option(names = "--max-sessions-per-user", defaultValue = "16", description = "PUSH_MAX_SESSIONS_PER_USER (default: ${DEFAULT-VALUE}).")
    int maxSessionsPerUser;

    @Option(names = "--silent-notice-s", defaultValue = "40", description = "When clients of a silently lost zone notice at the latest"
            + " (no RST: pings stop; default: ${DEFAULT-VALUE}).")
    double silentNotice;

    @Option(names = "--seed", defaultValue = "15", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        UnitCosts unit = UnitCosts.documented().withCoresPerConnector(cores);
        Load targetedLoad = new Load(connections, targeted, 0, zones, 3600, 600, 1.0, 60, 10);
        Load broadcastLoad = new Load(connections, targeted, broadcasts, zones, 3600, 600, 1.0, 60, 10);
        CapacityPlan.Result plan = CapacityPlan.of(targetedLoad, unit);
        out.println("## Targeted mix\n");
        out.println(CapacityPlan.table(plan));
        CapacityPlan.Result mixed = CapacityPlan.of(broadcastLoad, unit);
        out.printf(Locale.ROOT, "## Broadcast mix (+%.0f broadcasts/s to every connection)%n%n", broadcasts);
        out.println(CapacityPlan.table(mixed));

        RoutingTableSimulation.Result table = RoutingTableSimulation.run(connections, plan.connectors(), shards, hotUser,
                maxSessionsPerUser, seed);
        out.println("## Routing table\n");
        out.printf(Locale.ROOT, "%,d users, %,d sessions on %d connectors, %d Redis primaries:%n", table.users(),
                table.sessions(), table.nodes(), table.shards());
        out.printf(Locale.ROOT, "- route keys per primary, max/mean %.3f; route fields %.3f; node-index members %.3f%n",
                table.routeKeysMaxOverMean(), table.routeFieldsMaxOverMean(), table.indexMembersMaxOverMean());
        out.printf(Locale.ROOT, "- nodes reached by one targeted message: %.3f on average%n", table.nodesPerMessage());
        out.printf(Locale.ROOT, "- largest node index set: %,d members%n", table.largestNodeIndex());
        out.printf(Locale.ROOT, "- hot user, %,d sessions: on %d nodes (one delivery each per message), at most %d on one"
                        + " node, %,d refused by PUSH_MAX_SESSIONS_PER_USER=%d%n%n", table.hotUserSessions(),
                table.hotUserNodes(), table.hotUserMostOnOneNode(), table.hotUserRefused(), maxSessionsPerUser);

        int survivors = plan.connectors() * (zones - 1) / zones;
        int resuming = (int) (connections / zones);
        long heldBefore = connections / plan.connectors();
        double rate = unit.resumesPerSecondPerCore() * unit.coresPerConnector();
        out.println("## Losing one zone\n");
        out.printf(Locale.ROOT, "%,d clients resume on %d survivors (%,d connections each before, %.0f resumes/s each):%n%n",
                resuming, survivors, heldBefore, rate);
        out.println("| clients notice within | recovered | p50 s | p99 s | max s | attempts | timeouts | refused full | peak resumes/s | Redis cmds/s at peak |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (double[] notice : new double[][] {{0.1, unit.noticeSeconds()}, {0, silentNotice}}) {
            ZoneLossStorm.Result storm = ZoneLossStorm.run(new ZoneLossStorm.Settings(resuming, survivors, heldBefore,
                    unit.maxConnectionsPerConnector(), rate, notice[0], notice[1], 0.5, 20, 10, 300, seed));
            out.printf(Locale.ROOT, "| %.1f-%.1f s | %,d | %.1f | %.1f | %.1f | %,d | %,d | %,d | %,d | %,d |%n", notice[0],
                    notice[1], storm.recovered(), storm.p50(), storm.p99(), storm.max(), storm.attempts(), storm.timeouts(),
                    storm.refusedFull(), storm.peakResumesPerSecond(), 2 * storm.peakResumesPerSecond());
        }
        out.flush();
        return 0;
    }
}
