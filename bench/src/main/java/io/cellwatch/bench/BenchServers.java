package io.cellwatch.bench;

import io.cellwatch.acl.password.PasswordHash;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.AuthSettings;
import io.cellwatch.extension.config.ConfigErrors;
import io.cellwatch.testing.FreePorts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Server configurations for the broker scenarios: defaults from {@code conf/cellwatch.properties} (absent: every
 * default), free ports on 127.0.0.1, broker sessions in memory, auth set explicitly per variant. Stateless.
 */
final class BenchServers {

    /** Tenant every load-generator topic lives in. */
    static final String TENANT = "bench";

    /** Global admin of the auth+ACL variant (same password): {@code /metrics} is for global admins only. */
    static final String ADMIN = "bench-admin";

    /** Password of every load-generator gateway in the auth+ACL variant. */
    static final String GATEWAY_PASSWORD = "bench-gateway-secret";

    private BenchServers() {
    }

    /** A config under {@code dir} (conf/ and data/) with auth and ACL switched off. */
    static ServerConfig authOff(final Path dir) throws IOException {
        final ServerConfig base = base(dir);
        return with(base, base.extension().auth().withEnabled(false));
    }

    /**
     * A config under {@code dir} with auth and ACL on: writes {@code conf/passwd} (one user per gateway of
     * {@code shape}, named by its client id) and {@code conf/acl} granting the gateways tenant {@value #TENANT}.
     */
    static ServerConfig authAndAcl(final Path dir, final LoadShape shape) throws IOException {
        final ServerConfig base = base(dir);
        final Path conf = base.confDir();
        Files.createDirectories(conf);
        final List<String> users = new ArrayList<>();
        // One hash for all: PBKDF2 at mosquitto's default cost per user would only slow the set-up.
        final String hash = PasswordHash.pbkdf2Sha512(GATEWAY_PASSWORD.toCharArray());
        users.add(ADMIN + ":" + hash);
        for (int g = 0; g < shape.gateways(); g++) {
            users.add(LoadShape.clientId(g) + ":" + hash);
        }
        final Path passwd = conf.resolve("passwd");
        final Path acl = conf.resolve("acl");
        Files.write(passwd, users, StandardCharsets.UTF_8);
        Files.writeString(acl, """
                # Written by the benchmark: every gateway gw-* may write its tenant's telemetry (tenants/bench/#);
                # the global admin reads /metrics, where the benchmark counts accepted publishes.
                admin %s
                tenant %s
                gateways gw-*
                """.formatted(ADMIN, TENANT), StandardCharsets.UTF_8);
        return with(base, base.extension().auth().withFiles(passwd, acl).withEnabled(true));
    }

    private static ServerConfig base(final Path dir) throws IOException {
        final ConfigErrors errors = new ConfigErrors();
        final int[] ports = FreePorts.distinct(2);
        final ServerConfig loaded = ServerConfig.load(dir.resolve("conf"), errors)
                .withDataDir(dir.resolve("data"))
                .withMqttPort(ports[0])
                .withHttpPort(ports[1])
                .withInMemoryBroker(true);
        errors.throwIfAny();
        // No synthetic probe: its sample every 10 s would be counted in the history writer's totals the benchmark
        // compares with what it sent.
        return new ServerConfig(loaded.confDir(), "127.0.0.1", loaded.mqttPort(), loaded.receiveMaximum(),
                loaded.inMemoryBroker(), false,
                loaded.extension().withOps(loaded.extension().ops().withProbeIntervalSeconds(0)), loaded.logFormat());
    }

    private static ServerConfig with(final ServerConfig config, final AuthSettings auth) {
        return new ServerConfig(config.confDir(), config.mqttHost(), config.mqttPort(), config.receiveMaximum(),
                config.inMemoryBroker(), config.demo(), config.extension().withAuth(auth), config.logFormat());
    }
}
