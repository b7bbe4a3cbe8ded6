package io.pushfabric.dispatcher.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One configured API key: its name (for logs, metrics and rate limits; never the key itself), what it may
 * do, and the SHA-256 of the key. The key itself is never configured, so a leaked configuration does not leak
 * a usable key.
 */
public record ApiKey(String name, Set<ApiScope> scopes, byte[] sha256) {
    public ApiKey {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("key name '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("key '" + name + "' has no scope");
        }
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
        if (sha256.length != 32) {
            throw new IllegalArgumentException("key '" + name + "': the hash must be 32 bytes (64 hex digits) of SHA-256");
        }
        sha256 = sha256.clone();
    }

    public boolean allows(ApiScope scope) {
        return scopes.contains(scope);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey other && name.equals(other.name) && scopes.equals(other.scopes)
                && Arrays.equals(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, scopes, Arrays.hashCode(sha256));
    }

    @Override
    public String toString() {
        return name + scopes;
    }
}
