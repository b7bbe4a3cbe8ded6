package io.pushfabric.launcher;

import io.pushfabric.connector.auth.AuthSettings;
import io.pushfabric.connector.auth.TokenIssuer;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.ConfigException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pushfabric token}: prints an HS256 JWT a connector accepts. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a JWT for a user, signed with the dev secret unless --secret is given.")
final class TokenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--user", paramLabel = "USER", required = true, description = "The token's subject (sub).")
    private String user;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "HMAC secret, at least 32 bytes, as in PUSH_JWT_SECRET (default: the dev-only secret of `pushfabric dev`).")
    private String secret;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Validity in seconds (default: ${DEFAULT-VALUE}).")
    private long ttlSeconds;

    @Override
    public Integer call() {
        if (ttlSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--ttl must be a positive number of seconds, was " + ttlSeconds);
        }
        TokenIssuer issuer;
        try {
            issuer = new TokenIssuer(DevFabric.devAuth(secret == null ? DevFabric.DEV_ONLY_JWT_SECRET : secret),
                    Clock.systemUTC());
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "--secret must be at least "
                    + AuthSettings.MIN_SECRET_BYTES + " bytes (HS256)");
        }
        UserId subject;
        try {
            subject = UserId.of(user);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--user: " + e.getMessage());
        }
        spec.commandLine().getOut().println(issuer.issue(subject, Duration.ofSeconds(ttlSeconds)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
