package io.pushfabric.loadtest.model;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.RedisKeys;
import java.util.SplittableRandom;

/**
 * Builds the routing table of a fleet in memory, with the real Redis key names, and reports what the capacity
 * model assumes about it: how evenly Redis Cluster shards share routes, how many nodes one targeted message
 * reaches, and what one user with very many sessions does to one node's per-user limit and to one hash.
 *
 * <p>Sessions land on nodes uniformly at random (a balancer does not see users). Each user has 1, 2 or 3 sessions
 * with probabilities {@code 0.6, 0.3, 0.1} (1.5 on average: an assumption), plus one hot user.
 */
public final class RoutingTableSimulation {
    private static final double[] SESSIONS_CDF = {0.6, 0.9, 1.0};

    /**
     * @param routeKeysMaxOverMean   largest shard's route keys over the mean
     * @param routeFieldsMaxOverMean largest shard's route fields (sessions) over the mean
     * @param indexMembersMaxOverMean largest shard's node-index members over the mean (one set per node)
     * @param nodesPerMessage        average distinct nodes a message to a random connected user reaches
     * @param hotUserNodes           nodes holding the hot user's sessions (one delivery each per message)
     * @param hotUserRefused         hot-user sessions past {@code maxSessionsPerUserPerNode} on their node (429)
     * @param hotUserMostOnOneNode   most hot-user sessions on one node
     */
    public record Result(long users, long sessions, int nodes, int shards, double routeKeysMaxOverMean,
                         double routeFieldsMaxOverMean, double indexMembersMaxOverMean, double nodesPerMessage, int hotUserSessions, int hotUserNodes,
                         int hotUserRefused, int hotUserMostOnOneNode, long largestNodeIndex) {
    }

    private RoutingTableSimulation() {
    }

    public static Result run(long sessionsWanted, int nodes, int shards, int hotUserSessions,
                             int maxSessionsPerUserPerNode, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RedisKeys keys = new RedisKeys();
        long[] keysPerShard = new long[shards];
        long[] fieldsPerShard = new long[shards];
        long[] perNode = new long[nodes];
        long users = 0;
        long sessions = 0;
        long reachedNodes = 0;
        int[] picked = new int[3];
        while (sessions < sessionsWanted) {
            int count = sessionsOf(random.nextDouble());
            int distinct = 0;
            for (int i = 0; i < count; i++) {
                int node = random.nextInt(nodes);
                perNode[node]++;
                boolean seen = false;
                for (int j = 0; j < distinct; j++) {
                    seen |= picked[j] == node;
                }
                if (!seen) {
                    picked[distinct++] = node;
                }
            }
            int shard = RedisSlots.shard(RedisSlots.slot(keys.route(UserId.of("u" + users))), shards);
            keysPerShard[shard]++;
            fieldsPerShard[shard] += count;
            reachedNodes += distinct;
            users++;
            sessions += count;
        }
        int[] hot = new int[nodes];
        for (int i = 0; i < hotUserSessions; i++) {
            hot[random.nextInt(nodes)]++;
        }
        int hotNodes = 0;
        int refused = 0;
        int most = 0;
        for (int n = 0; n < nodes; n++) {
            hotNodes += hot[n] > 0 ? 1 : 0;
            refused += Math.max(0, hot[n] - maxSessionsPerUserPerNode);
            most = Math.max(most, hot[n]);
        }
        long largestIndex = 0;
        for (long n : perNode) {
            largestIndex = Math.max(largestIndex, n);
        }
        // Each node's index set node-routes:{node} is one key, written on every connect to that node.
        long[] indexMembersPerShard = new long[shards];
        for (int n = 0; n < nodes; n++) {
            indexMembersPerShard[RedisSlots.shard(RedisSlots.slot(keys.nodeRoutes(NodeId.of("pushfabric-connector-" + n))),
                    shards)] += perNode[n];
        }
        return new Result(users, sessions, nodes, shards, maxOverMean(keysPerShard), maxOverMean(fieldsPerShard),
                maxOverMean(indexMembersPerShard), reachedNodes / (double) users, hotUserSessions, hotNodes, refused,
                most, largestIndex);
    }

    private static int sessionsOf(double u) {
        for (int i = 0; i < SESSIONS_CDF.length; i++) {
            if (u < SESSIONS_CDF[i]) {
                return i + 1;
            }
        }
        return SESSIONS_CDF.length;
    }

    private static double maxOverMean(long[] counts) {
        long max = 0;
        long sum = 0;
        for (long c : counts) {
            max = Math.max(max, c);
            sum += c;
        }
        return sum == 0 ? 0 : max / (sum / (double) counts.length);
    }
}
