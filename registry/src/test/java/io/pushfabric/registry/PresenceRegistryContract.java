package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.PresenceRegistry.Check;
import io.pushfabric.registry.PresenceRegistry.Transition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceRegistry} does. A subclass supplies a fresh registry per test and a way to let a
 * short grace pass: a fake clock moved forward, or a real wait.
 */
public abstract class PresenceRegistryContract {
    /** Long enough never to pass during a test. */
    protected static final Duration LONG = Duration.ofHours(1);
    protected static final UserId ALICE = UserId.of("alice");
    protected static final UserId BOB = UserId.of("bob");

    protected PresenceRegistry registry;

    protected abstract PresenceRegistry newRegistry();

    /** A grace this test can let pass quickly. */
    protected abstract Duration shortGrace();

    /** Lets {@code grace} pass, then returns once {@code condition} holds (or fails the test). */
    protected abstract void pass(Duration grace, BooleanSupplier condition);

    @BeforeEach
    void createRegistry() {
        registry = newRegistry();
    }

    private List<UserId> dueUsers(int partition) {
        return registry.due(List.of(partition), 100).stream().map(Check::user).toList();
    }

    @Test
    void aUserNeverSeenIsOffline() {
        assertThat(registry.transition(ALICE, false, 0)).isEmpty();
    }

    @Test
    void eachTransitionIsRecordedOnceWithAHigherVersion() {
        Optional<Transition> online = registry.transition(ALICE, true, 1);
        assertThat(online).isPresent();
        assertThat(registry.transition(ALICE, true, 2)).as("already online").isEmpty();

        Optional<Transition> offline = registry.transition(ALICE, false, 0);
        assertThat(offline).isPresent();
        assertThat(offline.get().version()).isGreaterThan(online.get().version());
        assertThat(registry.transition(ALICE, false, 0)).as("already offline").isEmpty();

        Optional<Transition> again = registry.transition(ALICE, true, 1);
        assertThat(again.get().version()).isGreaterThan(offline.get().version());
        assertThat(again.get().at()).isGreaterThanOrEqualTo(offline.get().at());
        assertThat(registry.transition(BOB, true, 1)).as("users are independent").isPresent();
    }

    @Test
    void checkNowIsDueAtOnceOnItsPartitionOnly() {
        registry.checkNow(3, ALICE);

        assertThat(dueUsers(3)).containsExactly(ALICE);
        assertThat(dueUsers(4)).isEmpty();
        assertThat(registry.due(List.of(), 100)).isEmpty();
    }

    @Test
    void checkAfterIsNotDueBeforeTheGrace() {
        registry.checkAfter(3, ALICE, LONG);

        assertThat(dueUsers(3)).isEmpty();
    }

    @Test
    void checkAfterIsDueOnceTheGraceHasPassed() {
        registry.checkAfter(3, ALICE, shortGrace());

        pass(shortGrace(), () -> dueUsers(3).equals(List.of(ALICE)));
    }

    @Test
    void checkAllAfterSchedulesEveryUserOnItsPartitionAfterTheGrace() {
        registry.checkNow(3, ALICE);
        registry.checkAllAfter(java.util.Map.of(ALICE, 3, BOB, 4), shortGrace());

        assertThat(dueUsers(3)).as("pushed back").isEmpty();
        pass(shortGrace(), () -> dueUsers(3).equals(List.of(ALICE)) && dueUsers(4).equals(List.of(BOB)));
    }

    @Test
    void checkAllNowSchedulesEveryUserOnItsPartitionAndBringsALaterCheckForward() {
        registry.checkAfter(3, ALICE, LONG);
        registry.checkAllNow(java.util.Map.of(ALICE, 3, BOB, 4));

        assertThat(dueUsers(3)).containsExactly(ALICE);
        assertThat(dueUsers(4)).containsExactly(BOB);
    }

    @Test
    void checkNowBringsALaterCheckForward() {
        registry.checkAfter(3, ALICE, LONG);
        registry.checkNow(3, ALICE);

        assertThat(dueUsers(3)).containsExactly(ALICE);
    }

    @Test
    void checkAfterPushesAnEarlierCheckBack() {
        registry.checkNow(3, ALICE);
        registry.checkAfter(3, ALICE, LONG);

        assertThat(dueUsers(3)).isEmpty();
    }

    @Test
    void checkAfterNeverBringsALaterCheckForward() {
        registry.checkAfter(3, ALICE, LONG);
        registry.checkAfter(3, ALICE, Duration.ZERO);

        assertThat(dueUsers(3)).isEmpty();
    }

    @Test
    void doneRemovesTheChecksItWasGiven() {
        registry.checkNow(3, ALICE);
        registry.checkNow(5, BOB);
        List<Check> due = registry.due(List.of(3, 5), 100);
        assertThat(due).extracting(Check::user).containsExactlyInAnyOrder(ALICE, BOB);

        registry.done(due);

        assertThat(registry.due(Set.of(3, 5), 100)).isEmpty();
    }

    @Test
    void doneKeepsACheckRescheduledMeanwhile() {
        registry.checkNow(3, ALICE);
        List<Check> due = registry.due(List.of(3), 100);
        registry.checkAfter(3, ALICE, shortGrace()); // a session closed while the check was being made

        registry.done(due);

        pass(shortGrace(), () -> dueUsers(3).equals(List.of(ALICE)));
    }

    @Test
    void aCheckIsStillScheduledUntilASessionMovesItOrItIsDone() {
        registry.checkNow(3, ALICE);
        registry.checkNow(5, BOB);
        List<Check> due = registry.due(List.of(3, 5), 100);
        Check alice = due.stream().filter(c -> c.user().equals(ALICE)).findFirst().orElseThrow();
        Check bob = due.stream().filter(c -> c.user().equals(BOB)).findFirst().orElseThrow();
        assertThat(registry.stillScheduled(alice)).isTrue();

        registry.checkAfter(3, ALICE, shortGrace()); // a session closed: pushed back
        registry.done(List.of(bob)); // made by another dispatcher

        assertThat(registry.stillScheduled(alice)).isFalse();
        assertThat(registry.stillScheduled(bob)).isFalse();
        assertThat(registry.stillScheduled(new Check(4, ALICE, alice.dueAt()))).as("another partition").isFalse();
    }

    @Test
    void dueReturnsAtMostTheLimitPerPartition() {
        for (int i = 0; i < 5; i++) {
            registry.checkNow(3, UserId.of("u" + i));
        }

        assertThat(registry.due(List.of(3), 2)).hasSize(2);
    }
}
