package io.cellwatch.acl.rules;

import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.TextFile;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and syntactically valid ACL file (mosquitto acl_file plus {@code admin}, {@code tenant} and role lines).
 * Checks that need the password file's users (glob overlaps, user blocks of tenant members) happen when the
 * {@code AccessPolicy} is built. Immutable.
 *
 * @param admins           global admin name → line
 * @param tenants          tenant id → block, in file order
 * @param users            user name → merged {@code user} blocks, in file order
 * @param anonymousRules   {@code topic} lines before the first tenant or user block
 * @param patterns         {@code pattern} lines before the first tenant or user block (apply to every tenant member)
 * @param clientIdRules    {@code clientid} lines: the client ids a role may use, globally or per tenant
 * @param adminTakeover    {@code admin-takeover allow}: a global admin may connect under a client id another user owns
 */
public record AclFile(Path file, Map<String, Integer> admins, Map<String, TenantBlock> tenants,
                      Map<String, UserBlock> users, List<RuleLine> anonymousRules, List<RuleLine> patterns,
                      List<ClientIdRule> clientIdRules, boolean adminTakeover) {

    public AclFile {
        admins = Collections.unmodifiableMap(new LinkedHashMap<>(admins));
        tenants = Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
        users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        anonymousRules = List.copyOf(anonymousRules);
        patterns = List.copyOf(patterns);
        clientIdRules = List.copyOf(clientIdRules);
    }

    /** Reads and validates the file; every problem is reported with its line. */
    public static AclFile load(Path file) throws InvalidFileException {
        return parse(file, TextFile.read(file));
    }

    /** Validates content already read from {@code file} (the name is only used in problems). */
    public static AclFile parse(Path file, String content) throws InvalidFileException {
        return new AclFileParser(file).parse(content);
    }
}
