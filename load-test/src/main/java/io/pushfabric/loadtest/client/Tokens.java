package io.pushfabric.loadtest.client;

import io.pushfabric.connector.auth.AuthSettings;
import io.pushfabric.connector.auth.TokenIssuer;
import io.pushfabric.contracts.UserId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Client tokens signed with the fabric's shared secret (HS256), valid for a day: longer than any run. */
public final class Tokens {
    private static final Duration VALIDITY = Duration.ofHours(24);
    private final TokenIssuer issuer;

    public Tokens(String secret, String issuer, String audience) {
        this.issuer = new TokenIssuer(new AuthSettings(secret, issuer, audience, Duration.ofSeconds(30)), Clock.systemUTC());
    }

    public String issue(UserId user) {
        return issuer.issue(user, VALIDITY);
    }

    /** A token whose session joins {@code channels} at connect (claim {@code channels}). */
    public String issue(UserId user, List<String> channels) {
        return issuer.issueWithChannels(user, VALIDITY, channels);
    }
}
