package io.cellwatch.broker;

import io.cellwatch.files.InvalidFileException;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.CellwatchExtensionMain;
import io.cellwatch.extension.alerts.AlertRules;
import io.cellwatch.extension.display.DisplayFile;
import io.cellwatch.extension.config.AuthSettings;
import io.cellwatch.extension.config.ExtensionSettings;
import io.cellwatch.extension.config.TlsSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * What is checked before HiveMQ starts, so that a broken access file or a taken port fails in about a second with
 * every problem said once, and the broker never binds a listener for a server that cannot run: the password, ACL
 * and alert rules files are parsed and validated, and every port is bound once and released.
 */
final class StartupCheck {

    private StartupCheck() {
    }

    /**
     * Checks {@code config}.
     *
     * @throws IllegalStateException naming every file problem with its line
     * @throws PortTakenException     one line per taken port, naming the port and its setting
     */
    static void check(final ServerConfig config) {
        final ExtensionSettings extension = config.extension();
        final AuthSettings auth = extension.auth();
        if (auth.enabled()) {
            try {
                AccessPolicy.load(auth.passwordFile(), auth.aclFile());
            } catch (final InvalidFileException e) {
                throw new IllegalStateException(CellwatchExtensionMain.accessFilesProblem(e));
            }
        }
        try {
            AlertRules.load(extension.alerts().rulesFile());
        } catch (final InvalidFileException e) {
            throw new IllegalStateException(CellwatchExtensionMain.alertRulesProblem(e));
        }
        try {
            DisplayFile.load(extension.display().file());
        } catch (final InvalidFileException e) {
            throw new IllegalStateException(CellwatchExtensionMain.displayFileProblem(e));
        }
        final List<String> taken = new ArrayList<>();
        probe(config.mqttHost(), config.mqttPort(), "MQTT", ServerConfig.MQTT_PORT, "--mqtt-port", taken);
        probe(extension.httpHost(), extension.httpPort(), "HTTP", ExtensionSettings.HTTP_PORT, "--http-port", taken);
        final TlsSettings tls = extension.tls();
        if (tls.enabled()) {
            probe(config.mqttHost(), tls.mqttPort(), "MQTT/TLS", TlsSettings.MQTT_PORT, null, taken);
            probe(extension.httpHost(), tls.httpsPort(), "HTTPS", TlsSettings.HTTPS_PORT, null, taken);
        }
        if (!taken.isEmpty()) {
            throw new PortTakenException(String.join(System.lineSeparator(), taken));
        }
    }

    private static void probe(final String host, final int port, final String what, final String setting,
                              final String flag, final List<String> taken) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
        } catch (final IOException e) {
            taken.add("cellwatch: " + what + " port " + port + " on " + host + " is already in use (" + e.getMessage()
                    + "); stop what holds it or set " + setting + " in cellwatch.properties, "
                    + io.cellwatch.extension.config.ConfigFile.environmentName(setting)
                    + (flag == null ? "" : " or " + flag));
        }
    }
}
