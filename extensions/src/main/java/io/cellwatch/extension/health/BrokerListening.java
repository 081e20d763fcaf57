package io.cellwatch.extension.health;

import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.admin.LifecycleStage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

/** Ready check: HiveMQ finished starting and every MQTT listener accepts a TCP connection on this host. */
public final class BrokerListening implements Readiness.Check {

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    @Override
    public Optional<String> get() {
        if (Services.adminService().getCurrentStage() != LifecycleStage.STARTED_SUCCESSFULLY) {
            return Optional.of("MQTT broker starting");
        }
        for (final Listener listener : Services.adminService().getServerInformation().getListener()) {
            final String host = listener.getBindAddress().equals("0.0.0.0") ? "127.0.0.1"
                    : listener.getBindAddress().equals("::") ? "::1" : listener.getBindAddress();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, listener.getPort()), CONNECT_TIMEOUT_MILLIS);
            } catch (final IOException e) {
                return Optional.of("MQTT listener on port " + listener.getPort() + " not accepting connections");
            }
        }
        return Optional.empty();
    }
}
