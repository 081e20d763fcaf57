package io.cellwatch.broker;

import io.cellwatch.contract.LiveCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One live socket that sends commands as fast as it can is refused past its rate, then closed with 1008; another
 * tenant's live view never pauses meanwhile.
 */
@RunsAlone
@Timeout(120)
class LiveCommandFloodIT {

    private static final int COMMANDS = 200_000;

    @TempDir
    static Path dir;
    static CellwatchServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(dir);
        // The abuser's own tenant has something to snapshot: each subscribe costs the fan-out real work.
        final var gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.config().mqttPort(),
                TestAccess.ACME_GATEWAY);
        for (int rack = 0; rack < 4; rack++) {
            final StringBuilder json = new StringBuilder("{");
            for (int m = 0; m < 50; m++) {
                json.append(m == 0 ? "" : ",").append("\"cell_voltage_").append(m).append("\":").append(m);
            }
            Gateways.publish(gateway, "tenants/acme/plants/p1/racks/r" + rack, json.append('}').toString());
        }
        gateway.disconnect();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void subscribeFloodIsClosedWith1008WhileAnotherTenantKeepsReceivingDeltas() throws Exception {
        try (VictimView victim = new VictimView(server)) {
            final CompletableFuture<Integer> abuserClosed = new CompletableFuture<>();
            final WebSocket abuser = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", TestAccess.basic(TestAccess.ACME_OPERATOR))
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort() + "/api/v1/live"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(final WebSocket ws, final CharSequence data,
                                                                 final boolean last) {
                                    // Reads and forgets: the abuser is fast, not slow.
                                    ws.request(1);
                                    return null;
                                }

                                @Override
                                public CompletionStage<?> onClose(final WebSocket ws, final int code,
                                                                  final String reason) {
                                    abuserClosed.complete(code);
                                    return null;
                                }

                                @Override
                                public void onError(final WebSocket ws, final Throwable error) {
                                    // Cut off before the close frame arrived: fail with the cause, not a timeout.
                                    abuserClosed.completeExceptionally(error);
                                }
                            }).get(10, TimeUnit.SECONDS);
            final AtomicBoolean attacking = new AtomicBoolean(true);
            final long attackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            final Thread flood = new Thread(() -> {
                try {
                    for (int i = 0; i < COMMANDS && System.nanoTime() < attackDeadline; i++) {
                        abuser.sendText(LiveCommand.subscribe("tenants/acme"), true)
                                .get(5, TimeUnit.SECONDS);
                    }
                } catch (final Exception closed) {
                    // The server closed the abuser: the attack is over.
                } finally {
                    attacking.set(false);
                }
            }, "command-flood");
            flood.start();

            final long longestPause = victim.watchFor(attacking, 2_000);
            flood.join();

            assertThat(longestPause).as("longest pause between the victim's deltas, ms").isLessThan(1_000);
            assertThat(abuserClosed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            // A fresh server: this test's abuser is the only one counted.
            final HttpApi api = new HttpApi(server.httpPort());
            assertThat(api.metric("cellwatch_live_commands_refused_total")).isPositive();
            assertThat(api.metric("cellwatch_live_clients_closed_abusive_total")).isEqualTo(1);
        }
    }
}
