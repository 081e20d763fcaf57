package io.cellwatch.extension.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS for MQTT (a second listener) and HTTP (HTTPS beside plain HTTP), on when a keystore is configured.
 *
 * @param keystore         a PKCS12 or JKS keystore holding the server's key and certificate, or empty: TLS off
 * @param keystorePassword password of the keystore
 * @param keyPassword      password of the private key (PKCS12 from keytool: the same as the keystore's)
 * @param mqttPort         MQTT over TLS port
 * @param httpsPort        HTTPS port
 */
public record TlsSettings(Optional<Path> keystore, String keystorePassword, String keyPassword, int mqttPort,
                          int httpsPort) {

    public static final String KEYSTORE = "tls.keystore";
    public static final String KEYSTORE_PASSWORD = "tls.keystore-password";
    public static final String KEY_PASSWORD = "tls.key-password";
    public static final String MQTT_PORT = "tls.mqtt-port";
    public static final String HTTPS_PORT = "tls.https-port";

    /** TLS off; ports 8883 and 8443 once a keystore is set. */
    public static TlsSettings defaults() {
        return new TlsSettings(Optional.empty(), "", "", 8883, 8443);
    }

    /** True when a keystore is configured. */
    public boolean enabled() {
        return keystore.isPresent();
    }

    /**
     * Reads the TLS settings; a relative keystore path resolves against {@code confDir}, the key password defaults to
     * the keystore password.
     */
    static TlsSettings from(final ConfigFile file, final ConfigErrors errors, final Path confDir) {
        final TlsSettings d = defaults();
        final Optional<Path> keystore = file.entry(KEYSTORE).map(e -> confDir.resolve(e.value()));
        final String keystorePassword = file.stringValue(KEYSTORE_PASSWORD, "", errors);
        if (keystore.isPresent() && keystorePassword.isEmpty()) {
            errors.add(file.source(), file.entry(KEYSTORE).get().line(), KEYSTORE_PASSWORD,
                    "a keystore needs " + KEYSTORE_PASSWORD);
        }
        return new TlsSettings(keystore, keystorePassword,
                file.stringValue(KEY_PASSWORD, keystorePassword.isEmpty() ? "" : keystorePassword, errors),
                file.intValue(MQTT_PORT, d.mqttPort(), 0, 65535, errors),
                file.intValue(HTTPS_PORT, d.httpsPort(), 0, 65535, errors));
    }
}
