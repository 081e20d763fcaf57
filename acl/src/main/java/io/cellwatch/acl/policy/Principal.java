package io.cellwatch.acl.policy;

import io.cellwatch.acl.rules.Role;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated user as the ACL sees it: tenant members have a tenant, global admins and the anonymous
 * principal have none. Immutable.
 */
public record Principal(String user, Optional<String> tenant, Role role) {

    private static final Principal ANONYMOUS = new Principal("", Optional.empty(), Role.ANONYMOUS);

    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(role, "role");
    }

    /** A client without credentials: user {@code ""}, no tenant, role {@link Role#ANONYMOUS}. */
    public static Principal anonymous() {
        return ANONYMOUS;
    }
}
