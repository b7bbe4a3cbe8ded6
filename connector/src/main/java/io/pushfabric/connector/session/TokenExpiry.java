package io.pushfabric.connector.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.UserId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A session lasts as long as its token: when the token's {@code exp} (plus the clock skew) passes, the session
 * closes with {@link CloseCodes#TOKEN_EXPIRED}, unless the client sent a fresh token of the same user in a
 * {@code refresh} frame before then. A refresh with a token of another user changes nothing.
 * {@link #closeExpired} runs once a second on the connector's timer and looks only at the sessions whose token
 * ends by then: sessions are kept by the time their token ends, from {@link #watch} (at open) to {@link #forget}
 * (at close). Checking every session every second cost an idle connector about 0.15 % of a core per 5,000
 * connections (docs/benchmarks.md).
 */
public final class TokenExpiry {
    /** What a refresh frame did. */
    public sealed interface Refresh {
        /** The session now lasts until {@code validUntil}. */
        record Extended(Instant validUntil) implements Refresh {
        }

        /** Refused; the session still ends when its current token does. {@code reason} goes to the client. */
        record Refused(String reason) implements Refresh {
        }
    }

    /**
     * Sessions by the epoch millis their token holds until; each under its current {@code tokenValidUntil}. Guarded
     * by itself, and no session's lock is taken while holding it: a session can close (its lock held) from anywhere.
     */
    private final TreeMap<Long, Set<ClientSession>> byEnd = new TreeMap<>();
    private final Clock clock;
    private final Counter expired;
    private final Counter refreshRefused;

    public TokenExpiry(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.expired = Counter.builder("pushfabric.connector.sessions.token.expired")
                .description("Sessions closed with 4005 because their token expired").register(meters);
        this.refreshRefused = Counter.builder("pushfabric.connector.refresh.refused")
                .description("Refresh frames refused (bad token, or a token of another user)").register(meters);
    }

    /**
     * A refresh frame carried a valid token of {@code tokenUser}, good until {@code validUntil}.
     */
    public Refresh refresh(ClientSession session, UserId tokenUser, Instant validUntil) {
        if (!session.user().equals(tokenUser)) {
            return refused("token is for another user");
        }
        long before = session.tokenValidUntil();
        long after = session.extendToken(validUntil.toEpochMilli());
        if (after != before) {
            synchronized (byEnd) {
                remove(session, before);
                add(session, after);
            }
        }
        return new Refresh.Extended(Instant.ofEpochMilli(after));
    }

    /** A session opened with a token that holds until {@code validUntil} (epoch millis): watch it. */
    public void watch(ClientSession session, long validUntil) {
        session.tokenValidUntil(validUntil);
        synchronized (byEnd) {
            add(session, validUntil);
        }
    }

    /** The session closed: stop watching it. */
    public void forget(ClientSession session) {
        long end = session.tokenValidUntil();
        synchronized (byEnd) {
            remove(session, end);
        }
    }

    /** Sessions watched; for tests. */
    int watched() {
        synchronized (byEnd) {
            return byEnd.values().stream().mapToInt(Set::size).sum();
        }
    }

    /** A refresh frame carried a token that is not valid (malformed, expired, badly signed ...). */
    public Refresh refused(String reason) {
        refreshRefused.increment();
        return new Refresh.Refused(reason);
    }

    /** Closes every session whose token has expired. @return how many */
    public int closeExpired() {
        long now = clock.millis();
        List<ClientSession> due = new ArrayList<>();
        synchronized (byEnd) {
            for (Map.Entry<Long, Set<ClientSession>> e; (e = byEnd.firstEntry()) != null && e.getKey() <= now; ) {
                due.addAll(byEnd.pollFirstEntry().getValue());
            }
        }
        int closed = 0;
        for (ClientSession session : due) {
            if (session.closeIfTokenExpired(now, CloseCodes.TOKEN_EXPIRED,
                    "token expired; reconnect with a fresh token and the cursor")) {
                expired.increment();
                closed++;
            } else if (!session.isClosed()) {
                long end = session.tokenValidUntil(); // refreshed between the two locks: watch its new end
                synchronized (byEnd) {
                    add(session, end);
                }
            }
        }
        return closed;
    }

    private void add(ClientSession session, long end) {
        if (end != Long.MAX_VALUE) {
            byEnd.computeIfAbsent(end, k -> new HashSet<>()).add(session);
        }
    }

    private void remove(ClientSession session, long end) {
        Set<ClientSession> sessions = byEnd.get(end);
        if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
            byEnd.remove(end);
        }
    }
}
