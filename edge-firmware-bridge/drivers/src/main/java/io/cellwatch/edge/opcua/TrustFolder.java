package io.cellwatch.edge.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The gateway's trust list as an admin handles it: {@code trusted/certs} holds the PLC certificates it trusts,
 * {@code rejected/} the ones it refused, each named by its SHA-1 fingerprint, the thumbprint PLCs and
 * {@code openssl x509 -fingerprint -sha1} show. Read on every check, so a certificate moved in counts at once.
 */
final class TrustFolder {

    private final Path pki;

    TrustFolder(final Path pki) {
        this.pki = pki;
    }

    Path trusted() {
        return pki.resolve("trusted").resolve("certs");
    }

    Path rejected() {
        return pki.resolve("rejected");
    }

    Path issuers() {
        return pki.resolve("issuers").resolve("certs");
    }

    /** True when exactly this certificate is in {@code trusted/certs}. */
    boolean trusts(final X509Certificate certificate) throws GeneralSecurityException {
        final byte[] der = certificate.getEncoded();
        for (final Path file : files(trusted())) {
            try (InputStream in = Files.newInputStream(file)) {
                if (Arrays.equals(der, CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded())) {
                    return true;
                }
            } catch (final IOException | GeneralSecurityException notACertificate) {
                // Not a certificate (a README, a half-copied file): it trusts nothing.
            }
        }
        return false;
    }

    /** True when CA certificates are configured: then a CA-signed PLC certificate is checked against them. */
    boolean hasIssuers() {
        return !files(issuers()).isEmpty();
    }

    /** Keeps a refused certificate in {@code rejected/FINGERPRINT.der}; the file, for the admin to move. */
    Path reject(final X509Certificate certificate) throws IOException, GeneralSecurityException {
        final Path file = rejected().resolve(fingerprint(certificate).replace(":", "") + ".der");
        if (!Files.exists(file)) {
            Files.createDirectories(rejected());
            Files.write(file, certificate.getEncoded());
        }
        return file;
    }

    /** The SHA-1 fingerprint, {@code AB:CD:…}, as {@code openssl x509 -fingerprint -sha1} prints it. */
    static String fingerprint(final X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    }

    private static List<Path> files(final Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> listed = Files.list(folder)) {
            return listed.filter(Files::isRegularFile).toList();
        } catch (final IOException e) {
            return List.of();
        }
    }
}
