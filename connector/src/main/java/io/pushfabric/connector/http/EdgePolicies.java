package io.pushfabric.connector.http;

import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.limits.EdgeLimits;
import io.pushfabric.connector.session.TokenExpiry;
import java.util.Objects;
import java.util.Set;

/**
 * What the edge enforces besides WebSocket itself: who may connect (tokens, origins), how much (limits), for
 * how long (token expiry and refresh), and over what ({@code tls}, null for plain {@code ws://}).
 */
public record EdgePolicies(JwtAuthenticator auth, EdgeLimits limits, Set<String> allowedOrigins,
                           TokenExpiry tokenExpiry, TlsSettings tls) {
    public EdgePolicies {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(allowedOrigins, "allowedOrigins");
        Objects.requireNonNull(tokenExpiry, "tokenExpiry");
    }
}
