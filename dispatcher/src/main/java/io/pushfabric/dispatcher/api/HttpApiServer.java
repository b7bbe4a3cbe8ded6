package io.pushfabric.dispatcher.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushfabric.contracts.Json;
import io.pushfabric.dispatcher.http.JdkHttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge of the API, on the JDK's own HTTP server like the dispatcher's {@code StatusServer}: reads the
 * body up to its limit, hands the call to {@link ApiRoutes}, writes the JSON answer and counts it. {@code threads}
 * read, check and answer calls; a publish waiting for Kafka's acknowledgement holds none of them, and its answer is
 * written on one of them once Kafka answered (or the publish timeout passed).
 */
final class HttpApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
    private static final int BACKLOG = 128;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiRoutes routes;
    private final ApiMetrics metrics;
    private final int maxBodyBytes;

    HttpApiServer(String host, int port, int threads, int maxBodyBytes, ApiRoutes routes, ApiMetrics metrics) {
        this.routes = routes;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        try {
            server = JdkHttpServers.create(new InetSocketAddress(host, port), BACKLOG);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pf-api-http-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("API thread died", e));
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        CompletableFuture<ApiReply> reply;
        try {
            reply = routes.handle(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"), () -> readBody(exchange));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        if (reply.isDone()) {
            answer(exchange, path, reply);
            return;
        }
        // Completed by Kafka's acknowledgement (its producer's thread) or the publish timeout: answer on our own.
        CompletableFuture<ApiReply> later = reply;
        later.whenComplete((done, error) -> {
            try {
                executor.execute(() -> answer(exchange, path, later));
            } catch (RejectedExecutionException stopping) {
                exchange.close();
            }
        });
    }

    private void answer(HttpExchange exchange, String path, CompletableFuture<ApiReply> done) {
        ApiReply reply;
        try {
            reply = done.join();
        } catch (CompletionException | CancellationException e) {
            LOG.error("API call {} {} failed", exchange.getRequestMethod(), ApiRoutes.endpointOf(path),
                    e.getCause() == null ? e : e.getCause());
            reply = ApiReply.of(ApiProblem.of(500, "internal", "unexpected error; the dispatcher's log has it"));
        }
        try {
            write(exchange, reply);
        } catch (IOException e) {
            LOG.debug("Could not answer {} {}: {}", exchange.getRequestMethod(), path, e.toString());
            exchange.close();
        } finally {
            metrics.answered(ApiRoutes.endpointOf(path), reply.status());
        }
    }

    private byte[] readBody(HttpExchange exchange) throws ApiProblem {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw ApiProblem.badRequest("NOT_JSON", "the body could not be read: " + e.getMessage());
        }
    }

    private ApiProblem tooLarge() {
        return ApiProblem.tooLarge("BODY_TOO_LARGE", "the body exceeds " + maxBodyBytes + " bytes (PUSH_API_MAX_BODY_BYTES)");
    }

    private static void write(HttpExchange exchange, ApiReply reply) throws IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", Long.toString(reply.retryAfterSeconds()));
        }
        if (reply.status() == 401) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        }
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
