package io.pushfabric.connector.http;

import java.util.Locale;
import java.util.Set;

/**
 * {@code PUSH_ALLOWED_ORIGINS}: when set, a browser upgrade from any other {@code Origin} gets 403. This matters
 * when something in front of the connector turns an ambient credential (a cookie) into the token: without the
 * check, any web page could open a socket as its visitor. Requests without an {@code Origin} header are not
 * browsers and pass; they must bring a token of their own.
 */
final class OriginCheck {
    private final Set<String> allowed;

    OriginCheck(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    boolean allows(String origin) {
        return allowed.isEmpty() || origin == null || allowed.contains(origin.trim().toLowerCase(Locale.ROOT));
    }
}
