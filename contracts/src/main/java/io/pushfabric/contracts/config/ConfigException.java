package io.pushfabric.contracts.config;

/** A setting is missing or wrong; the message names the variable. Start-up stops. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
