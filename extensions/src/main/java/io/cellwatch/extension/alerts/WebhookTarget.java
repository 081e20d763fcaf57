package io.cellwatch.extension.alerts;

import java.net.URI;

/**
 * Where a tenant's alert events are POSTed, and the secret their HMAC signature is made with.
 *
 * @param url    http or https
 * @param secret the HMAC-SHA256 key; never logged nor shown over the API
 */
public record WebhookTarget(URI url, String secret) {

    @Override
    public String toString() {
        return "WebhookTarget[" + url + "]";
    }
}
