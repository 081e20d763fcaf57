package io.cellwatch.edge.opcua;

import org.eclipse.milo.opcua.stack.client.security.ClientCertificateValidator;
import org.eclipse.milo.opcua.stack.client.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Checks the PLC's certificate for Milo's client: trusted when exactly it is in {@code trusted/certs} (self-signed PLC
 * certificates are the rule), or, when CA certificates are configured, when Milo's chain check passes. A refused
 * certificate goes to {@code rejected/} under its SHA-1 fingerprint and is remembered, so the connect attempt can say
 * that the gateway refused, not the PLC.
 */
final class PairingValidator implements ClientCertificateValidator {

    private final TrustFolder folder;
    private final java.nio.file.Path pki;
    private volatile X509Certificate refused;

    PairingValidator(final TrustFolder folder, final java.nio.file.Path pki) {
        this.folder = folder;
        this.pki = pki;
    }

    @Override
    public void validateCertificateChain(final List<X509Certificate> chain) throws UaException {
        validateCertificateChain(chain, null);
    }

    @Override
    public void validateCertificateChain(final List<X509Certificate> chain, final String applicationUri,
                                         final String... validHostNames) throws UaException {
        final X509Certificate leaf = chain.get(0);
        try {
            if (folder.trusts(leaf)) {
                return;
            }
            if (folder.hasIssuers()) {
                final DefaultTrustListManager trust = new DefaultTrustListManager(pki.toFile());
                try {
                    new DefaultClientCertificateValidator(trust).validateCertificateChain(chain, applicationUri,
                            validHostNames);
                    return;
                } finally {
                    trust.close();
                }
            }
        } catch (final UaException chainRefused) {
            // Refused below, with the gateway's own words.
        } catch (final Exception unreadable) {
            throw new UaException(StatusCodes.Bad_CertificateInvalid, "the gateway cannot read the PLC's"
                    + " certificate: " + unreadable.getMessage());
        }
        refused = leaf;
        throw new UaException(StatusCodes.Bad_CertificateUntrusted, "the gateway does not trust the PLC's certificate");
    }

    /** The PLC certificate this validator refused, or null. */
    X509Certificate refused() {
        return refused;
    }
}
