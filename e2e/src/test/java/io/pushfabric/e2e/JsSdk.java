package io.pushfabric.e2e;

import java.nio.file.Path;

/** Where the JavaScript SDK lives in the checkout: {@code clients/js}, next to this module. */
final class JsSdk {
    private JsSdk() {
    }

    static Path directory() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../clients/js").normalize();
    }

    /** The SDK's one file, as browsers load it. */
    static Path script() {
        return directory().resolve("src/pushfabric.js");
    }
}
