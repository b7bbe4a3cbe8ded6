package io.pushfabric.connector.http;

import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.session.ClientSession;
import io.pushfabric.connector.session.TokenExpiry;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.util.Locale;

/** Answers a {@code refresh} frame: checks its token like an upgrade's, and extends the session or says why not. */
final class RefreshFrames {
    private final JwtAuthenticator auth;
    private final TokenExpiry expiry;
    private final FrameCodec frames;

    RefreshFrames(JwtAuthenticator auth, TokenExpiry expiry, FrameCodec frames) {
        this.auth = auth;
        this.expiry = expiry;
        this.frames = frames;
    }

    /** True when checking a token may block (a JWKS fetch): then answer off the I/O thread. */
    boolean mayBlock() {
        return auth.mayBlock();
    }

    /** @return the frame to send back: {@code refreshed}, or an error {@code refresh_refused} */
    String answer(ClientSession session, String token) {
        JwtAuthenticator.Result result = auth.authenticate(token);
        TokenExpiry.Refresh outcome = result.isOk()
                ? expiry.refresh(session, result.user(), result.validUntil())
                : expiry.refused(result.failure().name().toLowerCase(Locale.ROOT));
        if (outcome instanceof TokenExpiry.Refresh.Extended extended) {
            return frames.encode(new ServerFrame.Refreshed(extended.validUntil().toEpochMilli()));
        }
        return frames.encode(new ServerFrame.Error("refresh_refused", ((TokenExpiry.Refresh.Refused) outcome).reason()
                + "; the session still ends when its current token expires"));
    }
}
