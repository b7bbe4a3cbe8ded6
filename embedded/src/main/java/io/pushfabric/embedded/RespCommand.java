package io.pushfabric.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One Redis command over a fresh loopback connection, in RESP, with no client library: enough to set up a
 * cluster or ask a sentinel, before any Redis client could connect. Replies become text: a simple string, a
 * bulk string, an integer as its digits, an array as its elements one per line ({@code null} for a nil).
 * An error reply throws {@link IllegalStateException} with the server's message.
 */
final class RespCommand {
    private static final int SOCKET_TIMEOUT_MILLIS = 2_000;

    private RespCommand() {
    }

    static String send(int port, List<String> args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SOCKET_TIMEOUT_MILLIS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), args);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + args.get(0), e);
        }
    }

    private static byte[] encode(List<String> args) {
        StringBuilder request = new StringBuilder().append('*').append(args.size()).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String read(InputStream in, List<String> args) throws IOException {
        String line = line(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        return switch (type) {
            case '+', ':' -> rest;
            case '-' -> throw new IllegalStateException("Redis refused " + String.join(" ", args.subList(0,
                    Math.min(args.size(), 3))) + ": " + rest);
            case '$' -> bulk(in, Integer.parseInt(rest));
            case '*' -> {
                int count = Integer.parseInt(rest);
                StringBuilder elements = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    elements.append(i == 0 ? "" : "\n").append(read(in, args));
                }
                yield count < 0 ? null : elements.toString();
            }
            default -> throw new IOException("Unexpected RESP reply: " + line);
        };
    }

    private static String bulk(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] body = in.readNBytes(length + 2);
        if (body.length < length + 2) {
            throw new IOException("Connection closed in the middle of a reply");
        }
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        throw new IOException("Connection closed without a reply");
    }
}
