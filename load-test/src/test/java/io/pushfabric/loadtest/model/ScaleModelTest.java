package io.pushfabric.loadtest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The capacity model and its simulations: the arithmetic, the Redis slot function, and a check against a measured storm. */
class ScaleModelTest {

    @Test
    void slotsFollowRedisClusterHashTags() {
        assertThat(RedisSlots.crc16("123456789".getBytes())).isEqualTo(0x31C3); // the Redis Cluster spec's test vector
        assertThat(RedisSlots.slot("pf:route:{alice}")).isEqualTo(RedisSlots.slot("alice"));
        assertThat(RedisSlots.slot("foo{}{bar}")).isEqualTo(RedisSlots.crc16("foo{}{bar}".getBytes()) & 16383);
        assertThat(RedisSlots.shard(16383, 16)).isEqualTo(15);
    }

    @Test
    void stormModelReproducesTheMeasuredTenThousandClientStorm() {
        // docs/benchmarks.md: 10,000 clients of a killed connector onto one survivor; all recovered in 11.4-19.6 s
        // over the runs (12.9 s after the pipelining change). The rate is calibrated from that run, so this checks
        // the queueing and backoff mechanics, not the rate itself.
        ZoneLossStorm.Result storm = ZoneLossStorm.run(new ZoneLossStorm.Settings(10_000, 1, 2_000, 50_000, 775,
                0.1, 1.13, 0.5, 20, 30, 120, 1));

        assertThat(storm.recovered()).isEqualTo(10_000);
        assertThat(storm.max()).isBetween(11.4, 19.6);
        assertThat(storm.timeouts()).isZero();
    }

    @Test
    void fullSurvivorsLeaveTheBalancerAndTheRestIsRefused() {
        ZoneLossStorm.Result storm = ZoneLossStorm.run(new ZoneLossStorm.Settings(20_000, 4, 45_000, 50_000, 3_100,
                0.1, 1.13, 0.5, 20, 10, 120, 2));

        assertThat(storm.recovered()).isEqualTo(20_000);
        assertThat(storm.refusedFull()).isZero(); // 4 x 5,000 free slots hold exactly the 20,000
        ZoneLossStorm.Result tooFew = ZoneLossStorm.run(new ZoneLossStorm.Settings(20_000, 3, 45_000, 50_000, 3_100,
                0.1, 1.13, 0.5, 20, 10, 60, 2));
        assertThat(tooFew.recovered()).isEqualTo(15_000);
        assertThat(tooFew.refusedFull()).isPositive();
    }

    @Test
    void planForTenMillionConnectionsKeepsAZoneLossUnderTheConnectionLimit() {
        UnitCosts unit = UnitCosts.documented();
        CapacityPlan.Result plan = CapacityPlan.of(Load.targeted(), unit);

        assertThat(plan.connectors() % 3).isZero();
        assertThat(10_000_000.0 / (plan.connectors() * 2 / 3.0)).isLessThanOrEqualTo(0.8 * unit.maxConnectionsPerConnector());
        assertThat(plan.dispatchers()).isEqualTo(50);
        assertThat(plan.partitions()).isEqualTo(128).isGreaterThanOrEqualTo(plan.dispatchers());
        assertThat(plan.lines()).anySatisfy(l -> {
            assertThat(l.quantity()).isEqualTo("dedupe claims, cmds/s");
            assertThat(l.value()).isCloseTo(1_000_000, within(1.0));
        });
        CapacityPlan.Result broadcast = CapacityPlan.of(Load.broadcastMix(), unit);
        assertThat(broadcast.connectors()).as("50 M broadcast frames/s need CPU, not connection slots")
                .isGreaterThan(plan.connectors());
    }

    @Test
    void routingTableSpreadsOverShardsAndAHotUserHitsThePerNodeLimit() {
        RoutingTableSimulation.Result table = RoutingTableSimulation.run(150_000, 300, 16, 10_000, 16, 3);

        assertThat(table.routeKeysMaxOverMean()).isLessThan(1.15);
        assertThat(table.nodesPerMessage()).isBetween(1.4, 1.5);
        assertThat(table.hotUserNodes()).isEqualTo(300);
        assertThat(table.hotUserRefused()).isPositive();
        assertThat(RoutingTableSimulation.run(150_000, 300, 16, 10_000, 64, 3).hotUserRefused()).isZero();
    }
}
