package io.pushfabric.dispatcher.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code /healthz}, {@code /readyz} and {@code /metrics} of a dispatcher, on the JDK's own HTTP server. */
public final class StatusServer implements AutoCloseable {
    private final HttpServer server;

    /** @param host the interface to bind, e.g. {@code 0.0.0.0} for all or {@code 127.0.0.1} for this machine only */
    public StatusServer(String host, int port, BooleanSupplier alive, BooleanSupplier ready, Supplier<String> metrics) {
        try {
            server = JdkHttpServers.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/healthz", ex -> reply(ex, alive.getAsBoolean(), "ok\n", "dead\n"));
        server.createContext("/readyz", ex -> reply(ex, ready.getAsBoolean(), "ready\n", "not ready\n"));
        server.createContext("/metrics", ex -> reply(ex, true, metrics.get(), ""));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pf-status-http");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> org.slf4j.LoggerFactory.getLogger(StatusServer.class)
                    .error("Status server thread died", e));
            return t;
        }));
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, boolean ok, String okBody, String failBody) throws IOException {
        byte[] body = (ok ? okBody : failBody).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
