package io.cellwatch.extension.probe;

import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.admin.LifecycleStage;

import java.net.InetSocketAddress;
import java.util.Optional;

/** Where the probe connects: the broker's plain TCP MQTT listener, once HiveMQ has started. */
interface BrokerListener {

    /** Whether the broker has finished starting (its listeners accept connections). */
    boolean started();

    /** The first plain TCP listener, as a loopback address when it binds every interface; empty if there is none. */
    Optional<InetSocketAddress> plainTcp();

    /** The running HiveMQ's, through the extension services. */
    static BrokerListener hivemq() {
        return new BrokerListener() {
            @Override
            public boolean started() {
                return Services.adminService().getCurrentStage() == LifecycleStage.STARTED_SUCCESSFULLY;
            }

            @Override
            public Optional<InetSocketAddress> plainTcp() {
                for (final Listener listener : Services.adminService().getServerInformation().getListener()) {
                    if (listener.getListenerType() == ListenerType.TCP_LISTENER) {
                        final String bind = listener.getBindAddress();
                        final String host = bind.equals("0.0.0.0") ? "127.0.0.1" : bind.equals("::") ? "::1" : bind;
                        return Optional.of(InetSocketAddress.createUnresolved(host, listener.getPort()));
                    }
                }
                return Optional.empty();
            }
        };
    }
}
