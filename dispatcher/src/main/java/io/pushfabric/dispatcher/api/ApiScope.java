package io.pushfabric.dispatcher.api;

import java.util.Locale;

/** What an API key may do. A key carries one or more scopes; each endpoint needs one. */
public enum ApiScope {
    /** {@code POST /v1/publish} and {@code POST /v1/publish/batch}. */
    PUBLISH,
    /** {@code GET /v1/presence/{user}}. */
    PRESENCE;

    /** The name used in {@code PUSH_API_KEYS}: {@code publish}, {@code presence}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ApiScope parse(String name) {
        for (ApiScope scope : values()) {
            if (scope.configName().equals(name)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + name + "' (known: publish, presence)");
    }
}
