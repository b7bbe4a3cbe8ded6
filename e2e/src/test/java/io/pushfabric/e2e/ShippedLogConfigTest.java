package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The log configurations we ship keep tokens out and cannot be forged into: read as files, the way they are
 * deployed. nginx writes the request line (with {@code ?access_token=}) into every error-log entry tied to a
 * request, at any level; our logback patterns write user-controlled text (user ids, reasons, bad records).
 */
class ShippedLogConfigTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern DIRECTIVE = Pattern.compile("(?m)^\\s*(error_log|access_log|log_format)\\s+([^;]*);");

    private static List<String[]> nginxDirectives() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/nginx.conf"), StandardCharsets.UTF_8)
                .replaceAll("(?m)#.*$", "");
        Matcher m = DIRECTIVE.matcher(conf);
        List<String[]> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(new String[] {m.group(1), m.group(2).replaceAll("'\\s+'", "")});
        }
        return found;
    }

    @Test
    void nginxLogsNeverContainTheQueryString() throws IOException {
        List<String[]> directives = nginxDirectives();

        assertThat(directives).as("nginx.conf sets its log formats and levels").isNotEmpty();
        for (String[] d : directives) {
            switch (d[0]) {
                case "log_format" -> assertThat(d[1]).as(d[1])
                        .doesNotContain("$request ").doesNotContain("$request\"").doesNotContain("$request_uri")
                        .doesNotContain("$args").doesNotContain("$query_string").doesNotContain("$arg_")
                        .doesNotContain("$http_referer");
                case "access_log" -> assertThat(d[1]).as("access_log %s uses our format (or is off)", d[1])
                        .matches("off|\\S+ pushfabric");
                default -> assertThat(d[1]).as("error_log %s: entries at error/warn/notice/info carry the request"
                        + " line with the token; only crit and above are free of request context", d[1])
                        .matches("\\S+ (crit|alert|emerg)");
            }
        }
        assertThat(directives).extracting(d -> d[0]).contains("error_log", "access_log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"connector", "dispatcher", "launcher"})
    void shippedLogbackEscapesLineBreaksInMessages(String module) throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(ROOT.resolve(module + "/src/main/resources/logback.xml").toFile());
        Logger logger = context.getLogger("io.pushfabric.test");
        OutputStreamAppender<ILoggingEvent> out = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                "Ignoring bad admin command: {}", null,
                new Object[] {"unknown command 'x'\r\n2030-01-01 ERROR forged line\u2028"});

        String output = new String(out.getEncoder().encode(event), StandardCharsets.UTF_8);
        context.stop();

        assertThat(output).contains("forged line");
        assertThat(output.lines()).as(output).hasSize(1);
        assertThat(output).doesNotContain("\r").doesNotContain("\u2028").contains("\\r\\n");
    }
}
