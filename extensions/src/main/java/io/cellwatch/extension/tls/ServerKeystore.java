package io.cellwatch.extension.tls;

import io.cellwatch.extension.config.TlsSettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Builds the HTTPS server's TLS context from the keystore admins configure (PKCS12 or JKS, e.g. made by keytool). */
public final class ServerKeystore {

    private ServerKeystore() {
    }

    /**
     * Loads the keystore of {@code settings}.
     *
     * @throws IllegalStateException naming the keystore file if it cannot be read or holds no usable key
     */
    public static SSLContext sslContext(final TlsSettings settings) {
        final String file = settings.keystore().orElseThrow().toString();
        try {
            final KeyStore store = KeyStore.getInstance(settings.keystore().get().toFile(),
                    settings.keystorePassword().toCharArray());
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, settings.keyPassword().toCharArray());
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (final IOException | GeneralSecurityException e) {
            throw new IllegalStateException(TlsSettings.KEYSTORE + " " + file + ": cannot load the server key: " + e, e);
        }
    }
}
