package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** MQTT over TLS and HTTPS with a keystore made by keytool at test time, as docs/access-control.md tells admins. */
@Timeout(90)
class TlsIT {

    /** XML's special characters included: the generated broker config must carry it through escaped. */
    private static final String PASSWORD = "ch<ange>&'it\"";

    @TempDir
    Path dir;

    @Test
    void mqttOverTlsAndHttpsServeAClientThatTrustsTheKeytoolCertificate() throws Exception {
        final Path keystore = dir.resolve("server.p12");
        final Path certificate = dir.resolve("server.crt");
        keytool("-genkeypair", "-alias", "cellwatch", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "cellwatch", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        final TrustManagerFactory trust = trusting(certificate);
        final ServerConfig plain = TestServers.config(dir);
        final TlsSettings tls = new TlsSettings(Optional.of(keystore), PASSWORD, PASSWORD, TestServers.freePort(),
                TestServers.freePort());

        try (CellwatchServer server = new CellwatchServer(plain.withExtension(plain.extension().withTls(tls)))) {
            server.start();
            final Path brokerConfig = plain.dataDir().resolve("broker").resolve("conf").resolve("config.xml");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(brokerConfig)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(brokerConfig)).doesNotContain(PASSWORD).doesNotContain("ange");
            final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("tls-gateway")
                    .serverHost("localhost").serverPort(tls.mqttPort())
                    .sslConfig().trustManagerFactory(trust).applySslConfig()
                    .simpleAuth().username(TestAccess.ADMIN)
                    .password(TestAccess.password(TestAccess.ADMIN).getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .buildBlocking();
            client.connect();
            final String series = "tenants/acme/plants/tls/cells/1/voltage";
            assertThat(Gateways.publish(client, series, "3.71").isError()).isFalse();
            client.disconnect();

            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            final HttpClient https = HttpClient.newBuilder().sslContext(context).build();
            final HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + server.httpsPort()
                            + "/api/v1/snapshot?path=" + series))
                    .header("Authorization", TestAccess.basic(TestAccess.ADMIN)).build();
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                final HttpResponse<String> answer = https.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"value\":3.71");
            });
        }
    }

    private static void keytool(final String... args) throws Exception {
        final List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static TrustManagerFactory trusting(final Path certificate) throws Exception {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            final Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            store.setCertificateEntry("cellwatch", cert);
        }
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
