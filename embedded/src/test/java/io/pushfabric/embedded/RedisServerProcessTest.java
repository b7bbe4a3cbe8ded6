package io.pushfabric.embedded;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RedisServerProcessTest {

    @Test
    void startedServerAnswersPingOnLoopback() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+");

            try (Socket socket = new Socket("127.0.0.1", redis.port())) {
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("+PONG");
            }
        }
    }

    @Test
    void closeEndsTheProcess() {
        RedisServerProcess redis = RedisServerProcess.start();
        long pid = redis.pid();

        redis.close();

        await().atMost(Duration.ofSeconds(5)).until(() ->
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).equals(Optional.of(false))
                        || ProcessHandle.of(pid).isEmpty());
        assertThat(FreePorts.isFree(redis.port())).isTrue();
    }

    @Test
    void busyPortFailsWithAMessageNamingThePort() {
        try (RedisServerProcess first = RedisServerProcess.start()) {
            assertThatThrownBy(() -> RedisServerProcess.start(first.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + first.port())
                    .hasMessageContaining("already in use");
        }
    }
    @Test
    void restartServesAnEmptyServerOnTheSamePort() throws Exception {
        RedisServerProcess first = RedisServerProcess.start();
        try (Socket socket = new Socket("127.0.0.1", first.port())) {
            assertThat(send(socket, "SET k v")).isEqualTo("+OK");
        }

        try (RedisServerProcess second = first.restart();
             Socket socket = new Socket("127.0.0.1", second.port())) {
            assertThat(second.port()).isEqualTo(first.port());
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(send(socket, "GET k")).as("the restart lost every key").isEqualTo("$-1");
        }
    }

    @Test
    void pausedServerAnswersOnlyAfterResume() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             Socket socket = new Socket("127.0.0.1", redis.port())) {
            redis.pause();
            socket.setSoTimeout(500);
            assertThatThrownBy(() -> send(socket, "PING")).isInstanceOf(java.net.SocketTimeoutException.class);

            redis.resume();
            socket.setSoTimeout(5_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).as("the PING sent while paused").isEqualTo("+PONG");
        }
    }

    private static String send(Socket socket, String inline) throws java.io.IOException {
        OutputStream out = socket.getOutputStream();
        out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        return in.readLine();
    }
}
