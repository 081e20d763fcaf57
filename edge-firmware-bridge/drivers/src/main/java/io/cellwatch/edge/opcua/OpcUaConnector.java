package io.cellwatch.edge.opcua;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Opens a session with the configured PLC, once: endpoint discovery, the endpoint with the configured security, the
 * gateway's certificate and the PLC's checked against the gateway's trust folder. A failure says which side refused
 * and what to trust where, with the SHA-1 fingerprints both sides show. Reconnecting is the caller's (its own
 * backoff); Milo's client is never left to retry on its own.
 */
final class OpcUaConnector {

    private final OpcUaSettings settings;
    private final String clientId;
    private final TrustFolder trust;
    // The endpoint of the last session: connecting again skips discovery, so a restarted PLC is back sooner.
    private volatile EndpointDescription known;

    OpcUaConnector(final OpcUaSettings settings, final String clientId) {
        this.settings = settings;
        this.clientId = clientId;
        this.trust = new TrustFolder(settings.pkiDir());
    }

    /**
     * A connected client, session active; the caller disconnects it.
     *
     * @param onLost told (on Milo's thread) when the session of the client it is given ends
     */
    OpcUaClient open(final Consumer<OpcUaClient> onLost) throws ConnectProblem.Failure {
        final long timeout = settings.timeout().toMillis();
        final EndpointDescription endpoint = known != null ? known : discover(timeout);
        final OpcUaClientConfigBuilder builder = OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english("cellwatch gateway " + clientId))
                .setApplicationUri(GatewayCertificate.applicationUri(clientId))
                .setProductUri("urn:cellwatch:gateway")
                .setEndpoint(endpoint);
        GatewayCertificate own = null;
        PairingValidator validator = null;
        if (!settings.securityPolicy().equals("none")) {
            // Only a secured channel needs the certificate; making it (RSA key generation) can take long on a Pi.
            try {
                own = GatewayCertificate.loadOrCreate(settings.pkiDir(), clientId);
            } catch (final Exception e) {
                throw new ConnectProblem.Failure(new ConnectProblem("certificate", "the gateway's certificate in "
                        + settings.pkiDir().resolve("own") + " cannot be used: " + describe(e)));
            }
            validator = new PairingValidator(trust, settings.pkiDir());
            builder.setKeyPair(own.keyPair()).setCertificate(own.certificate()).setCertificateValidator(validator);
        }
        final OpcUaClient client;
        try {
            client = OpcUaClient.create(builder
                    .setIdentityProvider(settings.username() == null ? new AnonymousProvider()
                            : new UsernameProvider(settings.username(),
                            settings.password() == null ? "" : settings.password()))
                    .setRequestTimeout(uint(timeout))
                    .build());
        } catch (final UaException e) {
            throw new ConnectProblem.Failure(new ConnectProblem("failed", describe(e)));
        }
        client.addSessionActivityListener(new SessionActivityListener() {
            @Override
            public void onSessionInactive(final UaSession session) {
                onLost.accept(client);
            }
        });
        try {
            client.connect().get(timeout * 2, TimeUnit.MILLISECONDS);
            known = endpoint;
            return client;
        } catch (final Exception e) {
            client.disconnect();
            if (root(e) instanceof ConnectException) {
                throw new ConnectProblem.Failure(unreachable(e));
            }
            // Not a closed port: the PLC may have a new certificate or other endpoints; ask it again next time.
            known = null;
            throw new ConnectProblem.Failure(own == null ? new ConnectProblem("failed", describe(e))
                    : secured(e, own, validator, endpoint.getServerCertificate()));
        }
    }

    /** The server's endpoint with the configured security, found by asking the server (discovery). */
    private EndpointDescription discover(final long timeout) throws ConnectProblem.Failure {
        final List<EndpointDescription> endpoints;
        try {
            endpoints = DiscoveryClient.getEndpoints(settings.endpoint()).get(timeout, TimeUnit.MILLISECONDS);
        } catch (final Exception e) {
            throw new ConnectProblem.Failure(unreachable(e));
        }
        try {
            final URI uri = URI.create(settings.endpoint());
            // Servers often announce a host name the gateway cannot resolve: keep the configured host and port.
            return EndpointUtil.updateUrl(EndpointChooser.choose(endpoints, settings.securityPolicy(),
                    settings.securityMode()), uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 4840);
        } catch (final IllegalStateException e) {
            throw new ConnectProblem.Failure(new ConnectProblem("no-endpoint", e.getMessage()));
        }
    }

    private ConnectProblem unreachable(final Exception e) {
        return new ConnectProblem("unreachable", "cannot reach " + settings.endpoint() + ": " + describe(e));
    }

    /** A failed secured connect: which side refused, and what to trust where. */
    private ConnectProblem secured(final Exception e, final GatewayCertificate own, final PairingValidator validator,
                                   final ByteString serverCertificate) {
        final StatusCode status = UaException.extractStatusCode(e).orElse(StatusCode.BAD);
        final long code = status.getValue();
        X509Certificate plc = validator.refused();
        try {
            if (plc == null && serverCertificate != null && serverCertificate.isNotNull()) {
                final X509Certificate announced = CertificateUtil.decodeCertificate(serverCertificate.bytesOrEmpty());
                // Milo may stop at the PLC's refusal before checking the PLC's certificate: check it here too,
                // so the first contact names everything the admins have to do.
                if (!trust.trusts(announced)) {
                    plc = announced;
                }
            }
            final boolean plcRefused = validator.refused() == null && (code == StatusCodes.Bad_SecurityChecksFailed
                    || code == StatusCodes.Bad_CertificateUntrusted || code == StatusCodes.Bad_CertificateInvalid
                    || code == StatusCodes.Bad_CertificateUriInvalid || code == StatusCodes.Bad_CertificateUseNotAllowed);
            final Path gatewayDer = settings.pkiDir().resolve("own").resolve("gateway.der");
            final String onPlc = "on the PLC, trust the gateway's certificate " + gatewayDer + " (SHA-1 "
                    + TrustFolder.fingerprint(own.certificate()) + ", the thumbprint the PLC shows for it)";
            if (plc != null) {
                final Path rejected = trust.reject(plc);
                final String onGateway = "on the gateway, trust the PLC's certificate (SHA-1 "
                        + TrustFolder.fingerprint(plc) + ", subject " + plc.getSubjectX500Principal().getName()
                        + "): mv '" + rejected + "' " + trust.trusted() + "/";
                return new ConnectProblem("pairing", "pairing needed with " + settings.endpoint() + ": "
                        + (plcRefused ? "the PLC refused the gateway's certificate ("
                        + name(status) + ") and the gateway refused the PLC's; " + onPlc + "; " + onGateway
                        : "the gateway refused the PLC's certificate; " + onGateway + "; " + onPlc
                        + " unless it does already"));
            }
            if (plcRefused) {
                return new ConnectProblem("plc-refused", "the PLC refused the gateway's certificate (" + name(status)
                        + "): " + onPlc);
            }
        } catch (final Exception unreadable) {
            return new ConnectProblem("failed", describe(e) + "; the certificates could not be checked: "
                    + describe(unreadable));
        }
        return new ConnectProblem("failed", describe(e));
    }

    /** The cause in a few words: the OPC-UA status name and text, or the I/O error, never a Java class name alone. */
    static String describe(final Throwable e) {
        final Throwable cause = root(e);
        if (cause instanceof TimeoutException) {
            return "no answer within the timeout";
        }
        final StatusCode status = UaException.extractStatusCode(e).orElse(null);
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof ConnectException) {
            // Netty's "Connection refused: /127.0.0.1:4840": the part an admin reads.
            text = text.toLowerCase(java.util.Locale.ROOT).startsWith("connection refused")
                    ? "connection refused" : text;
        }
        if (status != null && !text.contains(name(status))) {
            text = name(status) + ": " + text;
        }
        return text;
    }

    private static Throwable root(final Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException
                || cause instanceof UaException && cause.getCause() != null) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** {@code Bad_NodeIdUnknown}, or the code in hex for a code Milo does not name. */
    static String name(final StatusCode status) {
        return StatusCodes.lookup(status.getValue()).map(names -> names[0])
                .orElse(String.format("0x%08X", status.getValue()));
    }
}
