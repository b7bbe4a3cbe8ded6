package io.pushfabric.connector.http;

import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.limits.ConnectionSlots;
import io.pushfabric.connector.limits.EdgeLimits;
import io.pushfabric.connector.limits.Refusal;
import io.pushfabric.connector.limits.UpgradeGate;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.contracts.UserId;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a WebSocket upgrade is let in, checked in this order: draining, not ready (fenced, or cut off from
 * Redis or Kafka), origin, the node's limits (memory, connections, the source address's connect rate), the
 * token, the user's limits (connect rate, sessions). A refusal is answered here with its HTTP status and
 * nothing is written to Kafka; an admitted upgrade holds a connection slot until its connection closes.
 */
final class UpgradeAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeAdmission.class);

    /** What an admitted upgrade brings to its session. */
    record Admitted(UserId user, ConnectionSlots.Slot slot, Instant tokenValidUntil, String cursor,
                    List<String> channels, String channelPositions) {
    }

    private final JwtAuthenticator auth;
    private final EdgeLimits limits;
    private final OriginCheck origins;
    private final BooleanSupplier ready;
    private final SessionMetrics metrics;
    private volatile boolean accepting = true;

    UpgradeAdmission(JwtAuthenticator auth, EdgeLimits limits, Set<String> allowedOrigins, BooleanSupplier ready,
                     SessionMetrics metrics) {
        this.auth = auth;
        this.limits = limits;
        this.origins = new OriginCheck(allowedOrigins);
        this.ready = ready;
        this.metrics = metrics;
    }

    /** New upgrades get 503 {@code draining} from now on. */
    void stopAccepting() {
        accepting = false;
    }

    /** {@code /readyz}: 200 {@code ready}, or 503 with why not ({@code not ready}, {@code full}, {@code memory}). */
    void answerReadiness(HttpServerExchange exchange) {
        boolean ok = ready.getAsBoolean() && accepting;
        Refusal.Reason shedding = ok ? limits.gate().notReadyReason() : null;
        String body = !ok ? "not ready\n" : shedding != null ? shedding.tag() + "\n" : "ready\n";
        UndertowServer.text(exchange, ok && shedding == null ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
    }

    /** @return the admitted upgrade, or null when the exchange has been answered with a refusal */
    Admitted admit(HttpServerExchange exchange) {
        if (!accepting) {
            return refuse(exchange, limits.gate().draining());
        }
        if (!ready.getAsBoolean()) {
            return refuse(exchange, limits.gate().notReady());
        }
        if (!origins.allows(exchange.getRequestHeaders().getFirst(Headers.ORIGIN))) {
            metrics.authRefused();
            UndertowServer.text(exchange, StatusCodes.FORBIDDEN, "{\"error\":\"forbidden\",\"reason\":\"origin\"}\n");
            return null;
        }
        String address = limits.addresses().of(exchange.getSourceAddress().getAddress(),
                exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_FOR));
        UpgradeGate.Entry entry = limits.gate().enter(address);
        if (entry.refusal() != null) {
            return refuse(exchange, entry.refusal());
        }
        ConnectionSlots.Slot slot = entry.slot();
        // Held until the connection closes; an upgrade that ends in anything but 101 gives it back here.
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            if (ex.getStatusCode() != StatusCodes.SWITCHING_PROTOCOLS) {
                slot.release();
            }
            nextListener.proceed();
        });
        JwtAuthenticator.Result result = auth.authenticate(token(exchange));
        if (!result.isOk()) {
            metrics.authRefused();
            LOG.debug("Refused upgrade from {}: {}", exchange.getSourceAddress(), result.failure());
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            UndertowServer.text(exchange, StatusCodes.UNAUTHORIZED, "{\"error\":\"unauthorized\",\"reason\":\""
                    + result.failure().name().toLowerCase(Locale.ROOT) + "\"}\n");
            return null;
        }
        Refusal refusal = limits.gate().admit(slot, result.user());
        if (refusal != null) {
            return refuse(exchange, refusal);
        }
        return new Admitted(result.user(), slot, result.validUntil(), queryParam(exchange, "cursor"), result.channels(),
                queryParam(exchange, "channels"));
    }

    private static String token(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7);
        }
        return queryParam(exchange, "access_token");
    }

    private static Admitted refuse(HttpServerExchange exchange, Refusal refusal) {
        LOG.debug("Refused upgrade from {}: {}", exchange.getSourceAddress(), refusal.reason().tag());
        if (refusal.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        UndertowServer.text(exchange, refusal.reason().status(), "{\"error\":\"" + refusal.reason().tag() + "\"}\n");
        return null;
    }

    private static String queryParam(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.peekFirst();
    }
}
