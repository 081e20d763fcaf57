package io.cellwatch.edge.opcua;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Makes the gateway's self-signed application instance certificate with Milo's OPC-UA extensions (subject
 * alternative names with the application URI, key usages) but a subject of only the fields it has: Milo's own
 * generator writes empty OU, L, ST and C, and an empty country is invalid X.509 that strict PLCs refuse.
 */
final class GatewayCertificateGenerator extends SelfSignedCertificateGenerator {

    /** A certificate for {@code keys}: subject {@code CN=commonName, O=organization}, valid from now for {@code validity}. */
    X509Certificate make(final KeyPair keys, final String commonName, final String organization,
                         final String applicationUri, final List<String> dnsNames, final List<String> ipAddresses,
                         final Period validity) throws Exception {
        final X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.O, organization)
                .build();
        final Instant now = Instant.now();
        final Date notBefore = Date.from(now.minusSeconds(60));
        final Date notAfter = Date.from(now.atOffset(ZoneOffset.UTC).plus(validity).toInstant());
        final X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject,
                new BigInteger(63, new SecureRandom()), notBefore, notAfter, Locale.ENGLISH, subject,
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
        addAuthorityKeyIdentifier(builder, keys);
        addBasicConstraints(builder, new BasicConstraints(false));
        addKeyUsage(builder);
        addExtendedKeyUsage(builder);
        addSubjectAlternativeNames(builder, keys, applicationUri, dnsNames, ipAddresses);
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withRSA").setProvider(new BouncyCastleProvider())
                        .build(keys.getPrivate())));
    }
}
