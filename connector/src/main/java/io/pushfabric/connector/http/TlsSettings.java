package io.pushfabric.connector.http;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * TLS on the connector itself ({@code wss://}), for deployments without a TLS-terminating balancer.
 *
 * @param certificate {@code PUSH_TLS_CERT}: PEM file with the certificate, then its chain
 * @param privateKey  {@code PUSH_TLS_KEY}: PEM file with the unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY})
 * @param reloadCheck {@code PUSH_TLS_RELOAD_CHECK_MS} (default 10000): how often the files are checked for a change;
 *                    new connections get the new certificate, open ones keep theirs
 */
public record TlsSettings(Path certificate, Path privateKey, Duration reloadCheck) {
    public TlsSettings {
        if (!Files.isReadable(certificate)) {
            throw new ConfigException("PUSH_TLS_CERT: cannot read " + certificate);
        }
        if (!Files.isReadable(privateKey)) {
            throw new ConfigException("PUSH_TLS_KEY: cannot read " + privateKey);
        }
    }

    /** Empty when neither variable is set (plain {@code ws://}); both or neither. */
    public static Optional<TlsSettings> fromEnv(Env env) {
        Optional<String> cert = env.optional("PUSH_TLS_CERT");
        Optional<String> key = env.optional("PUSH_TLS_KEY");
        if (cert.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw new ConfigException("PUSH_TLS_CERT and PUSH_TLS_KEY go together: set both or neither");
        }
        return Optional.of(new TlsSettings(Path.of(cert.get()), Path.of(key.get()),
                env.millis("PUSH_TLS_RELOAD_CHECK_MS", Duration.ofSeconds(10), Duration.ofMillis(100))));
    }
}
