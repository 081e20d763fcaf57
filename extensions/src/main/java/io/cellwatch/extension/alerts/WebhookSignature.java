package io.cellwatch.extension.alerts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** The {@code X-Cellwatch-Signature} of a webhook body: {@code sha256=} and the hex HMAC-SHA256 of the body bytes. */
public final class WebhookSignature {

    /** The header carrying the signature. */
    public static final String HEADER = "X-Cellwatch-Signature";

    private WebhookSignature() {
    }

    /** {@code sha256=<lower-case hex HMAC-SHA256 of body keyed with secret's UTF-8 bytes>}. */
    public static String of(final String secret, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
