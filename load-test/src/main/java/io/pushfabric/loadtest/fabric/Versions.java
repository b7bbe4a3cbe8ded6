package io.pushfabric.loadtest.fabric;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Library versions this build was made with (from the parent POM, filtered into a resource). */
public final class Versions {
    private static final Properties VERSIONS = load();

    private Versions() {
    }

    /** e.g. {@code get("kafka")}; "unknown" when missing. */
    public static String get(String name) {
        return VERSIONS.getProperty(name, "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/io/pushfabric/loadtest/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
