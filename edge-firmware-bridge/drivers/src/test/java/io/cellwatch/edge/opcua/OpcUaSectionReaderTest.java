package io.cellwatch.edge.opcua;

import io.cellwatch.edge.app.GatewaySources;
import io.cellwatch.edge.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The {@code [source]} keys of an OPC-UA PLC as an admin writes them, in the spelling of the OPC-UA specification. */
class OpcUaSectionReaderTest {

    @TempDir
    Path dir;

    private Path conf(final String security) throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), "node,path,metric,scale,offset\nns=2;i=1001,racks/r1,voltage,,\n");
        final Path conf = dir.resolve("gateway.conf");
        Files.writeString(conf, """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1:1883
                [source plc]
                type = opcua
                endpoint = opc.tcp://10.0.0.7:4840
                node-map = nodes.csv
                %s
                """.formatted(security));
        return conf;
    }

    @Test
    void acceptsThePolicyAndModeAsTheSpecificationSpellsThem() throws Exception {
        final OpcUaSettings settings = (OpcUaSettings) GatewaySources.all().parse(conf("""
                security-policy = Basic256Sha256
                security-mode = SignAndEncrypt
                """)).sources().get(0);

        assertThat(settings.securityPolicy()).isEqualTo("basic256sha256");
        assertThat(settings.securityMode()).isEqualTo("sign-and-encrypt");
    }

    @Test
    void acceptsAnyCaseOfTheGatewaysOwnSpelling() throws Exception {
        final OpcUaSettings settings = (OpcUaSettings) GatewaySources.all().parse(conf("""
                security-policy = BASIC256SHA256
                security-mode = Sign
                """)).sources().get(0);

        assertThat(settings.securityPolicy()).isEqualTo("basic256sha256");
        assertThat(settings.securityMode()).isEqualTo("sign");
    }

    @Test
    void anUnknownPolicyIsOneProblemWithoutAFollowOnAboutTheMode() throws Exception {
        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf("""
                security-policy = basic256
                security-mode = SignAndEncrypt
                """)), ConfigException.class);

        assertThat(e.getMessage()).contains("1 problem:", "'security-policy' = 'basic256': expected none,"
                + " basic256sha256 (or Basic256Sha256)").doesNotContain("does not fit");
    }
}
