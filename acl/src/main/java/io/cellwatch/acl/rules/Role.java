package io.cellwatch.acl.rules;

/**
 * What a principal may do by default. Tenant roles are confined to {@code tenants/<tenant>/…}; {@link #ADMIN}
 * is global; {@link #ANONYMOUS} is a client that did not log in.
 */
public enum Role {
    /** A plant gateway: write {@code tenants/%t/#}. */
    GATEWAY("gateway"),
    /** A person watching a tenant: read {@code tenants/%t/#}. */
    OPERATOR("operator"),
    /** A person administering a tenant: readwrite {@code tenants/%t/#}. */
    TENANT_ADMIN("tenant-admin"),
    /** Global admin: readwrite every topic including {@code $SYS}, every tenant over HTTP. */
    ADMIN("admin"),
    /** No credentials: only the ACL file's rules before the first tenant or user block, never {@code tenants/}. */
    ANONYMOUS("anonymous");

    private final String word;

    Role(String word) {
        this.word = word;
    }

    /** The role's name in files, logs and docs, e.g. {@code tenant-admin}. */
    public String word() {
        return word;
    }
}
