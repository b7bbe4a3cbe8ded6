package io.pushfabric.registry;

import io.pushfabric.contracts.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Presence bookkeeping in Redis ({@link RedisKeys#presence}, {@link RedisKeys#presenceChecks}). Every script
 * touches one key and reads the time from Redis ({@code TIME}), so deadlines do not depend on the clocks of the
 * services that write and read them. Layout and costs: {@code docs/redis-keys.md}.
 */
public final class RedisPresenceRegistry implements PresenceRegistry {
    /** How long the state of an offline user is kept; its version restarts above the clock after that. */
    static final Duration OFFLINE_STATE_TTL = Duration.ofDays(1);

    private static final String NOW = """
            redis.replicate_commands()
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /** KEYS[1] checks; ARGV[1] user. Schedules the user now, or brings a later check forward. */
    static final String CHECK_NOW = NOW + """
            local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not due or tonumber(due) > now then
              redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[1])
            end
            return 1
            """;

    /** KEYS[1] checks; ARGV[1] user; ARGV[2] grace millis. Schedules the user after the grace, or pushes back. */
    static final String CHECK_AFTER = NOW + """
            local at = now + tonumber(ARGV[2])
            local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not due or tonumber(due) < at then
              redis.call('ZADD', KEYS[1], string.format('%.0f', at), ARGV[1])
            end
            return 1
            """;

    /** KEYS[1] checks; ARGV[1] limit. The checks due now, with their due times. */
    static final String DUE = NOW + """
            return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now), 'WITHSCORES', 'LIMIT', 0, ARGV[1])
            """;

    /** KEYS[1] checks; ARGV[1] user; ARGV[2] the due time read. Removes the check unless it was rescheduled. */
    static final String DONE = """
            local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if due and tonumber(due) == tonumber(ARGV[2]) then
              redis.call('ZREM', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;

    /**
     * KEYS[1] presence hash; ARGV[1] 'online' or 'offline'; ARGV[2] sessions; ARGV[3] offline TTL millis.
     * Compare-and-set: changes the state only if it differs; the version is max(previous + 1, now), so it keeps
     * increasing even after an expired offline state. Returns {version, at}, or nil when nothing changed.
     */
    static final String TRANSITION = NOW + """
            local state = redis.call('HGET', KEYS[1], 'state') or 'offline'
            if state == ARGV[1] then
              if state == 'online' then redis.call('HSET', KEYS[1], 'sessions', ARGV[2]) end
              return nil
            end
            local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0') + 1
            if version < now then version = now end
            local v = string.format('%.0f', version)
            local at = string.format('%.0f', now)
            redis.call('HSET', KEYS[1], 'state', ARGV[1], 'version', v, 'at', at, 'sessions', ARGV[2])
            if ARGV[1] == 'offline' then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            else
              redis.call('PERSIST', KEYS[1])
            end
            return {v, at}
            """;

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public RedisPresenceRegistry(RedissonClient redisson, RedisKeys keys) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public void checkNow(int partition, UserId user) {
        eval(keys.presenceChecks(partition), CHECK_NOW, RScript.ReturnType.LONG, user.value());
    }

    @Override
    public void checkAfter(int partition, UserId user, Duration grace) {
        eval(keys.presenceChecks(partition), CHECK_AFTER, RScript.ReturnType.LONG, user.value(),
                Long.toString(grace.toMillis()));
    }

    @Override
    public void checkAllNow(Map<UserId, Integer> partitions) {
        evalAll(partitions, CHECK_NOW);
    }

    @Override
    public void checkAllAfter(Map<UserId, Integer> partitions, Duration grace) {
        evalAll(partitions, CHECK_AFTER, Long.toString(grace.toMillis()));
    }

    /** One script per user on its partition's schedule, pipelined: ARGV[1] is the user, then {@code args}. */
    private void evalAll(Map<UserId, Integer> partitions, String script, Object... args) {
        if (partitions.isEmpty()) {
            return;
        }
        RBatch batch = redisson.createBatch();
        partitions.forEach((user, partition) -> {
            String key = keys.presenceChecks(partition);
            Object[] values = new Object[args.length + 1];
            values[0] = user.value();
            System.arraycopy(args, 0, values, 1, args.length);
            batch.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE, script,
                    RScript.ReturnType.LONG, List.of(key), values);
        });
        batch.execute();
    }

    @Override
    public List<Check> due(Collection<Integer> partitions, int limit) {
        List<Check> checks = new ArrayList<>();
        if (partitions.isEmpty()) {
            return checks;
        }
        List<Integer> order = List.copyOf(partitions);
        RBatch batch = redisson.createBatch();
        for (int p : order) {
            String key = keys.presenceChecks(p);
            batch.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE, DUE,
                    RScript.ReturnType.LIST, List.of(key), Integer.toString(limit));
        }
        BatchResult<?> results = batch.execute();
        for (int i = 0; i < order.size(); i++) {
            List<?> pairs = (List<?>) results.getResponses().get(i);
            for (int j = 0; j + 1 < pairs.size(); j += 2) {
                checks.add(new Check(order.get(i), UserId.of(pairs.get(j).toString()),
                        Long.parseLong(pairs.get(j + 1).toString())));
            }
        }
        return checks;
    }

    @Override
    public boolean stillScheduled(Check check) {
        Double due = redisson.<String>getScoredSortedSet(keys.presenceChecks(check.partition()), StringCodec.INSTANCE)
                .getScore(check.user().value());
        return due != null && due.longValue() == check.dueAt();
    }

    @Override
    public void done(List<Check> checks) {
        if (checks.isEmpty()) {
            return;
        }
        RBatch batch = redisson.createBatch();
        for (Check c : checks) {
            String key = keys.presenceChecks(c.partition());
            batch.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE, DONE,
                    RScript.ReturnType.LONG, List.of(key), c.user().value(), Long.toString(c.dueAt()));
        }
        batch.execute();
    }

    @Override
    public Optional<Transition> transition(UserId user, boolean online, int sessions) {
        List<?> result = eval(keys.presence(user), TRANSITION, RScript.ReturnType.LIST, online ? "online" : "offline",
                Integer.toString(sessions), Long.toString(OFFLINE_STATE_TTL.toMillis()));
        if (result == null || result.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Transition(Long.parseLong(result.get(0).toString()),
                Long.parseLong(result.get(1).toString())));
    }

    private <R> R eval(String key, String script, RScript.ReturnType type, String... args) {
        return redisson.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, script, type,
                List.of(key), (Object[]) args);
    }
}
