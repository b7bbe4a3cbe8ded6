package io.pushfabric.contracts.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of {@code PUSH_*} settings from a map (the process environment in production, a plain map
 * in tests). A bad value fails with a message that names the variable and the value.
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public Map<String, String> vars() {
        return vars;
    }

    public Optional<String> optional(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name + " is required"));
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(v.get());
            if (parsed < min || parsed > max) {
                throw new ConfigException(name + "=" + v.get() + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + v.get() + " is not an integer");
        }
    }

    /** Durations are written in milliseconds: {@code PUSH_LEASE_TTL_MS=10000}. */
    public Duration millis(String name, Duration defaultValue, Duration min) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            Duration parsed = Duration.ofMillis(Long.parseLong(v.get()));
            if (parsed.compareTo(min) < 0) {
                throw new ConfigException(name + "=" + v.get() + " must be at least " + min.toMillis());
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + v.get() + " is not a whole number of milliseconds");
        }
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigException(name + "=" + v.get() + " is not a boolean (true/false)");
        };
    }
}
