package io.pushfabric.connector.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.UserId;
import java.time.Clock;
import java.time.Instant;

/**
 * A session lasts as long as its token: when the token's {@code exp} (plus the clock skew) passes, the session
 * closes with {@link CloseCodes#TOKEN_EXPIRED}, unless the client sent a fresh token of the same user in a
 * {@code refresh} frame before then. A refresh with a token of another user changes nothing.
 * {@link #closeExpired} runs once a second on the connector's timer.
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

    private final LocalSessions sessions;
    private final Clock clock;
    private final Counter expired;
    private final Counter refreshRefused;

    public TokenExpiry(LocalSessions sessions, MeterRegistry meters, Clock clock) {
        this.sessions = sessions;
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
        return new Refresh.Extended(Instant.ofEpochMilli(session.extendToken(validUntil.toEpochMilli())));
    }

    /** A refresh frame carried a token that is not valid (malformed, expired, badly signed ...). */
    public Refresh refused(String reason) {
        refreshRefused.increment();
        return new Refresh.Refused(reason);
    }

    /** Closes every session whose token has expired. @return how many */
    public int closeExpired() {
        long now = clock.millis();
        int closed = 0;
        for (ClientSession session : sessions.snapshot()) {
            if (session.closeIfTokenExpired(now, CloseCodes.TOKEN_EXPIRED,
                    "token expired; reconnect with a fresh token and the cursor")) {
                expired.increment();
                closed++;
            }
        }
        return closed;
    }
}
