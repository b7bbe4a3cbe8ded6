package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://} on the connector itself, from PEM files, with a certificate renewed while it runs. */
class TlsTest {
    @TempDir
    static Path dir;
    private static Fabric fabric;
    private static Path certFile;
    private static Path keyFile;

    private record Identity(KeyPair keys, X509Certificate certificate) {
    }

    @BeforeAll
    static void start() throws Exception {
        certFile = dir.resolve("tls.crt");
        keyFile = dir.resolve("tls.key");
        write(selfSigned("first"));
        fabric = Fabric.start(1, 1, Map.of("PUSH_TLS_CERT", certFile.toString(), "PUSH_TLS_KEY", keyFile.toString(),
                "PUSH_TLS_RELOAD_CHECK_MS", "200"));
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    private static Identity selfSigned(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        return new Identity(keys, certificate);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Writes both files the way a renewal does: to a temporary name, then moved into place. */
    private static void write(Identity identity) throws Exception {
        Path cert = Files.writeString(dir.resolve("tls.crt.new"), pem("CERTIFICATE", identity.certificate().getEncoded()));
        Path key = Files.writeString(dir.resolve("tls.key.new"), pem("PRIVATE KEY", identity.keys().getPrivate().getEncoded()));
        Files.move(key, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(cert, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String wssUrl() {
        return "wss://127.0.0.1:" + fabric.connector(0).port() + "/ws";
    }

    /** A client that trusts exactly this certificate, and checks the host name against it. */
    private static HttpClient trusting(X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    /** The certificate the connector presents to a new connection now. */
    private static X509Certificate presented() throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recorder}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", fabric.connector(0).port())) {
            socket.startHandshake();
        }
        return seen.get();
    }

    private static void assertWelcomedOverWss(HttpClient http, String user) {
        WsClient client = WsClient.connect(http, wssUrl(), fabric.token(user), null).join();
        await().atMost(Duration.ofSeconds(20)).until(client::isWelcomed);
        client.close();
    }

    @Test
    void wssClientsConnectAndARenewedCertificateIsServedToNewConnections() throws Exception {
        X509Certificate first = presented();
        assertThat(first.getSubjectX500Principal().getName()).isEqualTo("CN=first");
        assertWelcomedOverWss(trusting(first), "tls-alice");

        Identity second = selfSigned("second");
        write(second);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                presented().getSubjectX500Principal().getName().equals("CN=second"));
        assertWelcomedOverWss(trusting(second.certificate()), "tls-bob");
        Throwable stale = catchThrowable(() -> WsClient.connect(trusting(first), wssUrl(), fabric.token("tls-carol"), null).join());
        assertThat(stale).as("a client trusting only the old certificate is refused").isNotNull();
    }

    @Test
    void plainWebSocketIsNotServedWhenTlsIsOn() {
        Throwable plain = catchThrowable(() -> fabric.connect(0, "tls-plain", null));

        assertThat(plain).isNotNull();
    }
}
