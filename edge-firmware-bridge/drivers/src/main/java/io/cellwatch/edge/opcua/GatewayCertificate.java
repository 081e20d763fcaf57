package io.cellwatch.edge.opcua;

import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.List;

/**
 * The gateway's OPC-UA application instance certificate: made on first start (RSA 2048, SHA-256, 20 years, subject
 * {@code CN=cellwatch gateway CLIENT-ID, O=cellwatch} and nothing empty) and kept
 * in {@code PKI/own/gateway.p12} (owner-only), with {@code PKI/own/gateway.der} beside it for the PLC's admin to put
 * into the PLC's trust list. Its application URI is {@code urn:cellwatch:gateway:CLIENT-ID}.
 *
 * @param applicationUri the URI in the certificate, which the client's config must repeat
 */
public record GatewayCertificate(KeyPair keyPair, X509Certificate certificate, String applicationUri) {

    private static final Logger log = LoggerFactory.getLogger(GatewayCertificate.class);
    private static final String ALIAS = "gateway";
    // The key store is protected by file permissions; its password only satisfies the format.
    private static final char[] STORE_PASSWORD = "cellwatch-gateway".toCharArray();

    /** Loads the certificate in {@code pki/own}, making it first if absent. */
    public static GatewayCertificate loadOrCreate(final Path pki, final String clientId) throws Exception {
        final Path own = pki.resolve("own");
        final Path store = own.resolve("gateway.p12");
        final String uri = applicationUri(clientId);
        if (Files.exists(store)) {
            return load(store, uri);
        }
        Files.createDirectories(own);
        final KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        final String host = InetAddress.getLocalHost().getHostName();
        final X509Certificate certificate = new GatewayCertificateGenerator().make(keys,
                "cellwatch gateway " + clientId, "cellwatch", uri, List.of(host, "localhost"), List.of("127.0.0.1"),
                Period.ofYears(20));
        final KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, keys.getPrivate(), STORE_PASSWORD, new Certificate[]{certificate});
        final Path tmp = own.resolve("gateway.p12.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            keyStore.store(out, STORE_PASSWORD);
        }
        ownerOnly(tmp);
        Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
        Files.write(own.resolve("gateway.der"), certificate.getEncoded());
        log.info("made the gateway's OPC-UA certificate {} ({}, SHA-1 {}); give {} to the PLC's trust list", store,
                uri, TrustFolder.fingerprint(certificate), own.resolve("gateway.der"));
        return new GatewayCertificate(keys, certificate, uri);
    }

    /** The gateway's OPC-UA application URI, also used without a certificate (security policy none). */
    public static String applicationUri(final String clientId) {
        return "urn:cellwatch:gateway:" + clientId;
    }

    private static GatewayCertificate load(final Path store, final String uri) throws Exception {
        final KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        final Key key = keyStore.getKey(ALIAS, STORE_PASSWORD);
        if (!(key instanceof PrivateKey privateKey)) {
            throw new GeneralSecurityException(store + " holds no private key '" + ALIAS + "'");
        }
        final X509Certificate certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
        return new GatewayCertificate(new KeyPair(certificate.getPublicKey(), privateKey), certificate, uri);
    }

    private static void ownerOnly(final Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (final UnsupportedOperationException notPosix) {
            // Not a POSIX file system: left to the folder's rights.
        }
    }
}
