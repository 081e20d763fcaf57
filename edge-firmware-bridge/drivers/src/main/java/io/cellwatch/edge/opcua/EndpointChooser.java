package io.cellwatch.edge.opcua;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

import java.util.List;
import java.util.stream.Collectors;

/** Picks the discovered endpoint that fits the configured security policy and mode (UA binary over TCP). */
final class EndpointChooser {

    private EndpointChooser() {
    }

    static SecurityPolicy policy(final String configured) {
        return configured.equals("basic256sha256") ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None;
    }

    static MessageSecurityMode mode(final String configured) {
        return switch (configured) {
            case "sign" -> MessageSecurityMode.Sign;
            case "sign-and-encrypt" -> MessageSecurityMode.SignAndEncrypt;
            default -> MessageSecurityMode.None;
        };
    }

    /** The endpoint, or an exception naming what the server offers instead. */
    static EndpointDescription choose(final List<EndpointDescription> endpoints, final String policy,
                                      final String mode) {
        final String uri = policy(policy).getUri();
        final MessageSecurityMode wanted = mode(mode);
        return endpoints.stream()
                .filter(e -> e.getEndpointUrl().startsWith("opc.tcp:"))
                .filter(e -> uri.equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == wanted)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the server offers no endpoint with security-policy "
                        + policy + " and security-mode " + mode + "; it offers " + endpoints.stream()
                        .map(e -> e.getSecurityPolicyUri().substring(e.getSecurityPolicyUri().indexOf('#') + 1)
                                + "/" + e.getSecurityMode())
                        .distinct().collect(Collectors.joining(", "))));
    }
}
