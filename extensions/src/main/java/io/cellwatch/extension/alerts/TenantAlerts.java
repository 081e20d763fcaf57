package io.cellwatch.extension.alerts;

import java.util.List;
import java.util.Optional;

/**
 * A tenant block of the rules file: its rules and its webhook. Immutable.
 *
 * @param tenant  the tenant id
 * @param webhook where its alert events are sent, if anywhere
 * @param rules   its rules, in file order
 */
public record TenantAlerts(String tenant, Optional<WebhookTarget> webhook, List<AlertRule> rules) {

    public TenantAlerts {
        rules = List.copyOf(rules);
    }
}
