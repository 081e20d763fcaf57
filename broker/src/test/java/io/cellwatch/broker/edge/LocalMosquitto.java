package io.cellwatch.broker.edge;

import io.cellwatch.broker.TestServers;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real mosquitto (the Debian package's {@code /usr/sbin/mosquitto}) standing in for a plant-local sensor broker:
 * one TLS listener on a free loopback port, a certificate made here, a password file made by the real
 * {@code mosquitto_passwd}, no anonymous logins. Trust store for clients: {@link #trustStore()} (PKCS12, password
 * {@value #TRUST_PASSWORD}).
 */
final class LocalMosquitto implements AutoCloseable {

    static final String TRUST_PASSWORD = "changeit";

    private final Path dir;
    private final int port = TestServers.freePort();
    private final Process process;

    /** Starts mosquitto in {@code dir} with {@code users} as user, password pairs. */
    LocalMosquitto(final Path dir, final String... users) throws Exception {
        this.dir = Files.createDirectories(dir);
        final KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        final X509Certificate certificate = new SelfSignedCertificateBuilder(keys)
                .setCommonName("plant sensor broker").setApplicationUri("urn:cellwatch:test:mosquitto")
                .addDnsName("localhost").addIpAddress("127.0.0.1").build();
        Files.writeString(dir.resolve("broker.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(dir.resolve("broker.key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker", certificate);
        try (OutputStream out = Files.newOutputStream(trustStore())) {
            trust.store(out, TRUST_PASSWORD.toCharArray());
        }
        final Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "");
        for (int i = 0; i + 1 < users.length; i += 2) {
            run("mosquitto_passwd", "-b", passwd.toString(), users[i], users[i + 1]);
        }
        Files.writeString(dir.resolve("mosquitto.conf"), """
                # Started by a test as root: stay root so the files in the test's folder stay readable.
                user root
                persistence false
                allow_anonymous false
                password_file %s
                listener %d 127.0.0.1
                certfile %s
                keyfile %s
                """.formatted(passwd, port, dir.resolve("broker.crt"), dir.resolve("broker.key")));
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    int port() {
        return port;
    }

    Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    private static String pem(final String type, final byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void run(final String... command) throws Exception {
        final Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(p.getInputStream().readAllBytes()));
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
