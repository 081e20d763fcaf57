package io.cellwatch.broker.edge;

import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.testing.opcua.TestPlc;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pairing the gateway jar (its own process, as installed) with a PLC that only offers Basic256Sha256 sign and
 * encrypt (a real Milo server, {@link TestPlc}), step by step as two admins would do it from the gateway's log.
 */
@Timeout(400)
class OpcUaPairingIT {

    private static final String CELL = "tenants/acme/plants/p1/racks/r1/cells/1/";

    @TempDir
    Path dir;

    private TestPlc plc;

    @BeforeEach
    void startPlc() throws Exception {
        plc = new TestPlc(dir).variable(1001, "Voltage", Identifiers.Double, 3.5).start();
        Files.writeString(dir.resolve("nodes.csv"), """
                node,path,metric,scale,offset
                ns=2;i=1001,racks/r1/cells/1,voltage,,
                """);
    }

    @AfterEach
    void stopPlc() throws Exception {
        plc.close();
    }

    @Test
    void firstContactSaysWhatToTrustWhereWithBothFingerprintsAndOnceTrustedTheGatewayConnectsWithoutAStackTrace()
            throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final Path conf = GatewayFiles.write(dir, serverConfig.mqttPort(), """
                [source plc]
                type = opcua
                endpoint = %s
                node-map = nodes.csv
                security-policy = basic256sha256
                security-mode = sign-and-encrypt
                """.formatted(plc.endpoint()));
        final Path pki = dir.resolve("pki");
        final Path gatewayDer = pki.resolve("own/gateway.der");
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (GatewayProcess gateway = GatewayProcess.run(conf, dir.resolve("gateway.log"))) {
                // Making the RSA key pair took 89 s once on a box at load 12: generous bound.
                await().atMost(Duration.ofSeconds(150)).until(() -> Files.exists(gatewayDer)
                        && !listed(pki.resolve("rejected")).isEmpty());
                final String gatewaySha1 = sha1(Files.readAllBytes(gatewayDer));
                final String plcSha1 = sha1(plc.certificate().getEncoded());

                // One line, on first contact, says what to trust where, with the fingerprints both sides show.
                await().atMost(Duration.ofSeconds(20)).until(() -> gateway.log().contains(plcSha1));
                final List<String> pairing = gateway.logLines().stream()
                        .filter(line -> line.contains(gatewaySha1) && line.contains(plcSha1)).toList();
                assertThat(pairing).hasSize(1);
                assertThat(pairing.get(0)).contains(gatewayDer.toString(), pki.resolve("trusted/certs").toString());

                // The certificate the gateway refused is named by the fingerprint the docs tell the admin to compare.
                final Path rejected = listed(pki.resolve("rejected")).get(0);
                assertThat(sha1(Files.readAllBytes(rejected))).isEqualTo(plcSha1);
                assertThat(rejected.getFileName().toString()).contains(plcSha1.replace(":", ""));
                assertThat(pairing.get(0)).contains(rejected.toString());

                // The gateway's admin trusts the PLC first: now only the PLC refuses, and the state says so.
                Files.createDirectories(pki.resolve("trusted/certs"));
                Files.move(rejected, pki.resolve("trusted/certs").resolve(rejected.getFileName()));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> GatewayProcess.status(conf).contains("the PLC refused the gateway's certificate"));

                plc.trust(gatewayDer);
                await().atMost(Duration.ofSeconds(90)).until(() -> Double.valueOf(3.5)
                        .equals(api.latest(CELL + "voltage")));
                await().atMost(Duration.ofSeconds(10)).until(() -> gateway.log().contains("connected to "
                        + plc.endpoint()));
                final String log = gateway.log();
                assertThat(log).as(log).doesNotContain("ERROR", "Exception:", "Caused by", "trustAnchors");
                assertThat(log.lines().filter(line -> line.startsWith("\tat ") || line.matches("\\s+at .*\\(.*\\)")))
                        .as(log).isEmpty();
            }
        }
    }

    @Test
    void theGatewaysCertificateSubjectHasNoEmptyField() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final Path conf = GatewayFiles.write(dir, serverConfig.mqttPort(), """
                [source plc]
                type = opcua
                endpoint = %s
                node-map = nodes.csv
                security-policy = basic256sha256
                """.formatted(plc.endpoint()));
        final Path gatewayDer = dir.resolve("pki/own/gateway.der");
        try (GatewayProcess gateway = GatewayProcess.run(conf, dir.resolve("gateway.log"))) {
            await().atMost(Duration.ofSeconds(150)).until(() -> Files.exists(gatewayDer));
        }
        final X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(gatewayDer)));
        final String subject = certificate.getSubjectX500Principal().getName();
        final List<Rdn> rdns = new LdapName(subject).getRdns();
        assertThat(rdns).as(subject).isNotEmpty()
                .allSatisfy(rdn -> assertThat(rdn.getValue().toString()).as(subject).isNotBlank());
        assertThat(subject).contains("CN=cellwatch gateway " + GatewayFiles.CLIENT_ID, "O=cellwatch");
    }

    private static String sha1(final byte[] der) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(der));
    }

    private static List<Path> listed(final Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
