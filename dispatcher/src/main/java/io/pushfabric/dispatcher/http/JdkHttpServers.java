package io.pushfabric.dispatcher.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates the dispatcher's HTTP servers (the JDK's own) with {@code TCP_NODELAY} on their connections. The JDK's
 * server writes an answer's headers and its body in two writes; without {@code TCP_NODELAY}, Nagle's algorithm
 * holds the body until the client acknowledges the headers, and clients delay that acknowledgement by up to 40 ms.
 * A backend publishing over a kept-alive connection then waited about 45 ms per call (benchmarks.md). The JDK reads
 * the switch, the system property {@code sun.net.httpserver.nodelay}, once, when it creates its first server in the
 * process, so every server of the dispatcher is created here; one set explicitly ({@code -D...=false}) is left alone.
 */
public final class JdkHttpServers {
    static final String NODELAY = "sun.net.httpserver.nodelay";

    private JdkHttpServers() {
    }

    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        return HttpServer.create(address, backlog);
    }
}
