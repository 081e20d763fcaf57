package io.cellwatch.extension.api;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.rules.Role;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.series.Series;

import java.util.Optional;

/**
 * The part of the topic tree an HTTP caller may see: one tenant's subtree ({@code tenants/acme}), everything (a
 * global admin) or nothing. Paths are compared level by level, exactly: {@code tenants/acme2} is not inside
 * {@code tenants/acme}.
 *
 * @param user   who the caller is
 * @param all    whether everything is visible
 * @param tenant the tenant whose subtree is visible when not {@code all}; empty: nothing is
 */
public record Scope(String user, boolean all, Optional<String> tenant) {

    /** The scope of a principal: everything for a global admin, its tenant for a member, else nothing. */
    public static Scope of(final Principal principal) {
        if (principal.role() == Role.ADMIN) {
            return new Scope(principal.user(), true, Optional.empty());
        }
        return new Scope(principal.user(), false, principal.tenant());
    }

    /** Everything: used when access control is switched off. */
    public static Scope everything() {
        return new Scope("", true, Optional.empty());
    }

    /**
     * Whether everything in the subtree at {@code path} is visible. The internal tenant of the synthetic probe
     * ({@link TopicResolver#INTERNAL_TENANT}) is visible to nobody, not even a global admin.
     */
    public boolean covers(final String path) {
        if (TopicResolver.isInternal(path)) {
            return false;
        }
        if (all) {
            return true;
        }
        if (tenant.isEmpty()) {
            return false;
        }
        final String root = root();
        return path.equals(root) || path.startsWith(root + "/");
    }

    /** Whether {@code path} is a strict ancestor of the visible subtree ({@code ""} or {@code tenants}). */
    public boolean leadsTo(final String path) {
        if (TopicResolver.isInternal(path)) {
            return false;
        }
        if (all) {
            return true;
        }
        if (tenant.isEmpty()) {
            return false;
        }
        return path.isEmpty() || root().startsWith(path + "/");
    }

    /**
     * The subtree a read of {@code path} answers for: {@code path} itself when it is visible, the caller's own root
     * when {@code path} leads to it ({@code ""} or {@code tenants} for a tenant member), else empty (403: the same
     * answer whether or not the path exists).
     */
    public Optional<String> readable(final String path) {
        if (covers(path)) {
            return Optional.of(path);
        }
        return leadsTo(path) ? Optional.of(root()) : Optional.empty();
    }

    /** Whether the caller may see {@code series}. */
    public boolean shows(final Series series) {
        return covers(series.key());
    }

    /** The topmost visible path: {@code ""} for everything, {@code tenants/{tenant}} for a tenant member. */
    public String root() {
        return all || tenant.isEmpty() ? "" : TopicBuilder.tenant(tenant.get()).node();
    }
}
