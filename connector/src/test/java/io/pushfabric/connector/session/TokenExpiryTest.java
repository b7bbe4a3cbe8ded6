package io.pushfabric.connector.session;

import static io.pushfabric.connector.session.Sessions.ALICE;
import static io.pushfabric.connector.session.Sessions.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.registry.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenExpiryTest {
    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LocalSessions sessions = new LocalSessions();
    private final TokenExpiry expiry = new TokenExpiry(meters, clock);

    @BeforeEach
    void nodeHasJoined() {
        sessions.startBroadcastsAt(0, 0);
    }

    private ClientSession open(RecordingSink sink, Duration tokenValidity) {
        ClientSession session = new ClientSession("s-" + sessions.size(), ALICE, sink, 10, Sessions.metrics(), 0);
        sessions.attach(session);
        expiry.watch(session, clock.instant().plus(tokenValidity).toEpochMilli());
        return session;
    }

    @Test
    void sessionClosesWithTokenExpiredOnceItsTokenHasPassed() {
        RecordingSink sink = new RecordingSink();
        open(sink, Duration.ofMinutes(5));

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(expiry.closeExpired()).isZero();
        assertThat(sink.closeCode()).isNull();

        clock.advance(Duration.ofMillis(1));
        assertThat(expiry.closeExpired()).isOne();
        assertThat(sink.closeCode()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        assertThat(meters.counter("pushfabric.connector.sessions.token.expired").count()).isEqualTo(1);
        assertThat(expiry.closeExpired()).as("closed once").isZero();
    }

    @Test
    void refreshWithTheSameUsersTokenKeepsTheSessionPastTheOriginalExpiry() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = open(sink, Duration.ofMinutes(5));
        Instant later = clock.instant().plus(Duration.ofMinutes(30));

        assertThat(expiry.refresh(session, ALICE, later)).isEqualTo(new TokenExpiry.Refresh.Extended(later));
        clock.advance(Duration.ofMinutes(10));
        assertThat(expiry.closeExpired()).isZero();

        clock.advance(Duration.ofMinutes(20));
        assertThat(expiry.closeExpired()).isOne();
        assertThat(sink.closeCode()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    }

    @Test
    void refreshWithAnotherUsersTokenIsRefusedAndTheOldExpiryStands() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = open(sink, Duration.ofMinutes(5));

        TokenExpiry.Refresh outcome = expiry.refresh(session, BOB, clock.instant().plus(Duration.ofHours(1)));

        assertThat(outcome).isInstanceOf(TokenExpiry.Refresh.Refused.class);
        assertThat(meters.counter("pushfabric.connector.refresh.refused").count()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(expiry.closeExpired()).isOne();
    }

    @Test
    void aClosedSessionIsForgottenAndAnExpiredOneLeavesTheIndex() {
        ClientSession early = open(new RecordingSink(), Duration.ofMinutes(1));
        ClientSession late = open(new RecordingSink(), Duration.ofHours(1));
        ClientSession closedByClient = open(new RecordingSink(), Duration.ofHours(2));
        assertThat(expiry.watched()).isEqualTo(3);

        closedByClient.close(CloseCodes.NORMAL, "bye");
        expiry.forget(closedByClient);
        assertThat(expiry.watched()).as("a closed session is not held until its token ends").isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        assertThat(expiry.closeExpired()).isOne();
        assertThat(early.isClosed()).isTrue();
        assertThat(late.isClosed()).isFalse();
        assertThat(expiry.watched()).isOne();
    }

    @Test
    void aRefreshMovesTheSessionSoTheOldEndDoesNotCloseIt() {
        ClientSession session = open(new RecordingSink(), Duration.ofMinutes(5));
        expiry.refresh(session, ALICE, clock.instant().plus(Duration.ofMinutes(30)));

        clock.advance(Duration.ofMinutes(5));
        assertThat(expiry.closeExpired()).isZero();
        assertThat(expiry.watched()).isOne();

        expiry.forget(session);
        assertThat(expiry.watched()).as("forgotten under its new end").isZero();
    }

    @Test
    void refreshWithAShorterTokenNeverShortensTheSession() {
        ClientSession session = open(new RecordingSink(), Duration.ofMinutes(30));
        Instant sooner = clock.instant().plus(Duration.ofMinutes(1));

        assertThat(expiry.refresh(session, ALICE, sooner))
                .isEqualTo(new TokenExpiry.Refresh.Extended(clock.instant().plus(Duration.ofMinutes(30))));
    }
}
