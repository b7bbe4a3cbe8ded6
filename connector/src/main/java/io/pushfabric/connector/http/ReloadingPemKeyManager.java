package io.pushfabric.connector.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's TLS identity, read from PEM files and read again when they change ({@link #reloadIfChanged},
 * called on a timer). Each handshake asks this key manager for the key and chain, so new connections get the
 * new certificate at once; open connections are not touched. A file that does not parse (e.g. half-written by a
 * renewal) is logged and the previous certificate stays.
 */
final class ReloadingPemKeyManager extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingPemKeyManager.class);
    private record Identity(String alias, PrivateKey key, X509Certificate[] chain, FileTime certTime,
                            FileTime keyTime) {
    }

    private final TlsSettings settings;
    private final AtomicInteger generation = new AtomicInteger();
    /** The current identity and the one before: a handshake that chose an alias just before a reload finishes. */
    private final Map<String, Identity> recent = new ConcurrentHashMap<>();
    private volatile Identity identity;

    /** Loads the files now; a bad file fails start-up. */
    ReloadingPemKeyManager(TlsSettings settings) {
        this.settings = settings;
        try {
            install(load());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("PUSH_TLS_CERT / PUSH_TLS_KEY: " + e.getMessage(), e);
        }
        LOG.info("TLS certificate {} loaded", identity.chain()[0].getSubjectX500Principal());
    }

    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {this}, null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
        }
    }

    Duration reloadCheck() {
        return settings.reloadCheck();
    }

    void reloadIfChanged() {
        try {
            Identity current = identity;
            if (Files.getLastModifiedTime(settings.certificate()).equals(current.certTime())
                    && Files.getLastModifiedTime(settings.privateKey()).equals(current.keyTime())) {
                return;
            }
            install(load());
            LOG.info("TLS certificate reloaded: {}", identity.chain()[0].getSubjectX500Principal());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            LOG.warn("TLS files changed but cannot be read; keeping the previous certificate: {}", e.toString());
        }
    }

    private void install(Identity next) {
        Identity previous = identity;
        recent.put(next.alias(), next);
        identity = next;
        if (previous != null) {
            recent.keySet().removeIf(alias -> !alias.equals(next.alias()) && !alias.equals(previous.alias()));
        }
    }

    private Identity load() throws IOException, GeneralSecurityException {
        FileTime certTime = Files.getLastModifiedTime(settings.certificate());
        FileTime keyTime = Files.getLastModifiedTime(settings.privateKey());
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(settings.certificate())) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(settings.certificate() + " holds no certificate");
        }
        PrivateKey key = privateKey(Files.readString(settings.privateKey(), StandardCharsets.US_ASCII),
                chain.get(0).getPublicKey().getAlgorithm());
        if (!matches(key, chain.get(0))) {
            // A renewal replaces two files, never both at the same instant: wait for the pair to match.
            throw new IllegalArgumentException("the key in " + settings.privateKey() + " does not belong to the"
                    + " certificate in " + settings.certificate());
        }
        return new Identity("pushfabric-" + generation.incrementAndGet(), key, chain.toArray(new X509Certificate[0]), certTime, keyTime);
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        byte[] probe = "pushfabric".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private PrivateKey privateKey(String pem, String algorithm) throws GeneralSecurityException {
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(settings.privateKey() + " is not an unencrypted PKCS#8 PEM key"
                    + " (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Identity current = identity;
        return current.key().getAlgorithm().equals(keyType) ? current.alias() : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity chosen = recent.get(alias);
        return chosen == null ? null : chosen.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity chosen = recent.get(alias);
        return chosen == null ? null : chosen.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {identity.alias()};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
