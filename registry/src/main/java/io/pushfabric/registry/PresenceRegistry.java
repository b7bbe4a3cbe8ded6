package io.pushfabric.registry;

import io.pushfabric.contracts.UserId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The presence bookkeeping: which users need their presence checked, and when (one schedule per partition of
 * {@code push-requests}, so the dispatcher that owns a partition checks its users), and each user's last
 * published state with a version (compare-and-set, so two dispatchers never publish one transition twice).
 * Time is the registry's own (Redis's clock), so clock skew between services does not move a deadline.
 * Implementations: {@code RedisPresenceRegistry} and {@code InMemoryPresenceRegistry}; one contract suite.
 */
public interface PresenceRegistry {

    /** A check of one user, due at {@code dueAt} (epoch millis, the registry's clock). */
    record Check(int partition, UserId user, long dueAt) {
    }

    /** A published transition: its version (strictly increasing per user) and time. */
    record Transition(long version, long at) {
    }

    /**
     * A session of the user opened: check the user now. A check already scheduled later is brought forward;
     * one scheduled earlier stays.
     */
    void checkNow(int partition, UserId user);

    /** {@link #checkNow} for many users at once (one pipelined round trip in Redis): user -> its partition. */
    void checkAllNow(Map<UserId, Integer> partitions);

    /**
     * A session of the user closed (or its node was lost): check the user once {@code grace} has passed. A check
     * scheduled earlier is pushed back to then; one scheduled later stays.
     */
    void checkAfter(int partition, UserId user, Duration grace);

    /** {@link #checkAfter} for many users at once (one pipelined round trip in Redis): user -> its partition. */
    void checkAllAfter(Map<UserId, Integer> partitions, Duration grace);

    /** Up to {@code limit} checks of these partitions that are due now, earliest first per partition. */
    List<Check> due(Collection<Integer> partitions, int limit);

    /**
     * Whether the check is still scheduled as {@link #due} read it: neither pushed back nor brought forward by a
     * session since, nor made by another dispatcher. A dispatcher reads it after counting the user's sessions and
     * before publishing offline, so a close it counted (which pushed the check back first) never ends the grace
     * early.
     */
    boolean stillScheduled(Check check);

    /** Removes checks that were made, each only if it was not rescheduled since {@link #due} read it. */
    void done(List<Check> checks);

    /**
     * Records that the user is now {@code online} (or offline), with {@code sessions} live sessions, if that is
     * a change from the last recorded state (a user never seen is offline). Atomic per user.
     *
     * @return the transition when the state changed; empty when it was already so
     */
    Optional<Transition> transition(UserId user, boolean online, int sessions);
}
