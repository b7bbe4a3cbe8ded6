package io.pushfabric.dispatcher.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys a dispatcher accepts, from {@code PUSH_API_KEYS}:
 * {@code name:scope+scope:sha256hex[,name:scope:sha256hex...]}, e.g.
 * {@code backend:publish+presence:9f86d0...,ops:presence:2c26b4...}. Several keys may be live at once, which is
 * how a key is rotated: add the new one, move the callers, remove the old one.
 *
 * <p>A presented key is hashed with SHA-256 and compared with every configured hash by
 * {@link MessageDigest#isEqual} (constant time), without stopping at the first match, so the time of an
 * answer says nothing about which bytes of which key were right.
 */
public final class ApiKeys {
    /**
     * The key {@code pushfabric dev} prints. It is in the source code, so it proves nothing: a production
     * dispatcher refuses to start with its hash.
     */
    public static final String DEV_ONLY_KEY = "pf-dev-only-api-key-not-for-production";

    private final List<ApiKey> keys;

    private ApiKeys(List<ApiKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        this.keys = List.copyOf(keys);
    }

    public static ApiKeys of(List<ApiKey> keys) {
        return new ApiKeys(keys);
    }

    /**
     * Parses the {@code PUSH_API_KEYS} form.
     *
     * @param allowDevKey false in production: the hash of {@link #DEV_ONLY_KEY} is refused
     */
    public static ApiKeys parse(String spec, boolean allowDevKey) {
        List<ApiKey> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("entry '" + entry.trim() + "' must be name:scope[+scope]:sha256hex");
            }
            Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
            for (String scope : parts[1].split("\\+")) {
                scopes.add(ApiScope.parse(scope.trim()));
            }
            byte[] hash;
            try {
                hash = HexFormat.of().parseHex(parts[2].trim().toLowerCase());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key '" + parts[0] + "': the hash is not hex: " + e.getMessage());
            }
            ApiKey key = new ApiKey(parts[0].trim(), scopes, hash);
            if (!names.add(key.name())) {
                throw new IllegalArgumentException("key name '" + key.name() + "' appears twice");
            }
            if (!allowDevKey && MessageDigest.isEqual(hash, sha256(DEV_ONLY_KEY))) {
                throw new IllegalArgumentException("key '" + key.name() + "' is the public dev key of pushfabric dev;"
                        + " generate your own (openssl rand -hex 32)");
            }
            keys.add(key);
        }
        return new ApiKeys(keys);
    }

    /** The configured key whose hash matches {@code presented}, if any. */
    public Optional<ApiKey> authenticate(String presented) {
        byte[] hash = sha256(presented);
        ApiKey found = null;
        for (ApiKey key : keys) {
            // No early exit: every configured key is compared, whatever matched before.
            if (MessageDigest.isEqual(hash, key.sha256()) && found == null) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    public List<ApiKey> keys() {
        return keys;
    }

    /** SHA-256 of the UTF-8 bytes, as {@code printf %s "$KEY" | sha256sum} computes it. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The {@code PUSH_API_KEYS} entry for a key: {@code name:scope+scope:sha256hex}. */
    public static String entry(String name, Set<ApiScope> scopes, String key) {
        return name + ":" + String.join("+", scopes.stream().sorted().map(ApiScope::configName).toList()) + ":"
                + HexFormat.of().formatHex(sha256(key));
    }

    /** Names and scopes, never hashes. */
    @Override
    public String toString() {
        return keys.toString();
    }
}
