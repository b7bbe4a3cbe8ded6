package io.pushfabric.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushfabric.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Serves the SDK ledger page ({@code browser/sdk-ledger.html}) to a browser: the page, the SDK file from
 * {@code clients/js}, tokens, and {@code POST /ledger}, where the page reports what reached it and gets
 * back the command the test has set (e.g. {@code {"command":"stale"}}).
 */
final class LedgerPageServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicReference<JsonNode> ledger = new AtomicReference<>();
    private final AtomicReference<String> command = new AtomicReference<>("");

    private LedgerPageServer(HttpServer server) {
        this.server = server;
    }

    /** @param tokens a fresh token for a user id */
    static LedgerPageServer start(Function<String, String> tokens) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LedgerPageServer page = new LedgerPageServer(server);
            byte[] html = resource("/browser/sdk-ledger.html");
            byte[] sdk = Files.readAllBytes(JsSdk.script());
            server.createContext("/", ex -> send(ex, 200, "text/html; charset=utf-8", html));
            server.createContext("/pushfabric.js", ex -> send(ex, 200, "text/javascript; charset=utf-8", sdk));
            server.createContext("/token", ex -> {
                String user = ex.getRequestURI().getQuery().replaceFirst("^user=", "");
                send(ex, 200, "text/plain", tokens.apply(java.net.URLDecoder.decode(user, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8));
            });
            server.createContext("/ledger", ex -> {
                try (InputStream body = ex.getRequestBody()) {
                    page.ledger.set(Json.MAPPER.readTree(body));
                }
                String answer = Json.MAPPER.createObjectNode().put("command", page.command.get()).toString();
                send(ex, 200, "application/json", answer.getBytes(StandardCharsets.UTF_8));
            });
            server.start();
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the ledger page", e);
        }
    }

    /** The page's address for a user, connecting round robin to {@code webSocketUrls}. */
    URI pageUri(String user, List<String> webSocketUrls) {
        String urls = Json.MAPPER.valueToTree(webSocketUrls).toString();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/?user="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&urls=" + URLEncoder.encode(urls, StandardCharsets.UTF_8));
    }

    /** The ledger the page posted last; a missing node until it has posted one. */
    JsonNode ledger() {
        return Objects.requireNonNullElse(ledger.get(), Json.MAPPER.missingNode());
    }

    /** What the page is told to do at its next report. */
    void command(String next) {
        command.set(next);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LedgerPageServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the test classpath");
            }
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
