package io.pushfabric.e2e;

import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client written by hand on a plain {@link Socket}, for what well-behaved clients never do:
 * stop reading for a while (its receive buffer is small, so the server's writes really back up), or never
 * answer a ping. It reads only when told to and never writes after the upgrade.
 */
final class RawWebSocket implements AutoCloseable {
    private static final FrameCodec FRAMES = new FrameCodec();
    private static final int OP_TEXT = 1;
    private static final int OP_CLOSE = 8;

    private final Socket socket;
    private final InputStream in;
    private final List<ServerFrame> frames = new ArrayList<>();
    private Integer closeCode;
    private boolean ended;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Upgrades, reads the HTTP 101 response and nothing more. */
    static RawWebSocket upgrade(int port, String token, String cursor) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connect, so the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(200);
        String path = "/ws?access_token=" + token
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString("pushfabric-e2e-k".getBytes(StandardCharsets.US_ASCII)) + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        RawWebSocket ws = new RawWebSocket(socket);
        String head = ws.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(head));
        }
        return ws;
    }

    /**
     * Reads whatever frames arrive within about 200 ms. Pings are read and never answered.
     *
     * @return false once the server closed the connection (a close frame, EOF or a reset)
     */
    boolean readAvailable() {
        if (ended) {
            return false;
        }
        try {
            while (true) {
                readFrame();
            }
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            ended = true;
            return false;
        }
    }

    /** Reads frames until {@code count} text frames have arrived in all, the server closed, or 20 s passed. */
    void readUntil(int count) throws IOException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (frames().size() < count && System.nanoTime() < deadline) {
            try {
                readFrame();
            } catch (SocketTimeoutException e) {
                // nothing within 200 ms: look at the deadline and wait again
            }
        }
    }

    synchronized List<ServerFrame> frames() {
        return List.copyOf(frames);
    }

    synchronized ServerFrame.Welcome welcome() {
        return frames.isEmpty() ? null : (ServerFrame.Welcome) frames.get(0);
    }

    synchronized List<ServerFrame.Push> pushes() {
        return frames.stream().filter(ServerFrame.Push.class::isInstance).map(ServerFrame.Push.class::cast).toList();
    }

    /** The code of the server's close frame, or null when it sent none (yet). */
    synchronized Integer closeCode() {
        return closeCode;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        socket.setSoTimeout(10_000);
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            head.write(b);
        }
        socket.setSoTimeout(200);
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Server frames are unmasked and, from pushfabric, never fragmented. */
    private void readFrame() throws IOException {
        int first = readByte();
        int opcode = first & 0x0f;
        socket.setSoTimeout(5_000); // the rest of a started frame is on its way
        try {
            long length = readByte() & 0x7f;
            if (length == 126) {
                length = ((long) readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException("connection closed inside a frame");
            }
            synchronized (this) {
                if (opcode == OP_TEXT) {
                    frames.add(FRAMES.decodeServer(new String(body, StandardCharsets.UTF_8)));
                } else if (opcode == OP_CLOSE) {
                    closeCode = body.length >= 2 ? ((body[0] & 0xff) << 8) | (body[1] & 0xff) : 1005;
                    throw new EOFException("close frame");
                }
            }
        } finally {
            socket.setSoTimeout(200);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }
}
