package io.cellwatch.broker.demo;

import io.cellwatch.files.PrivateFile;
import io.cellwatch.acl.password.PasswordHash;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The logins of {@code --demo}: a password file and an ACL file in the data folder, made on the first demo run with
 * random passwords and kept (so the printed passwords stay valid across restarts; delete the folder for new ones). The plain passwords are kept
 * beside them, readable by the owner only, because the demo prints them at every start. Edit the two files while
 * the demo runs to watch a reload apply.
 *
 * @param passwordFile the demo's password file
 * @param aclFile      the demo's ACL file
 * @param passwords    user name to plain password, in the order they are printed
 */
public record DemoAccess(Path passwordFile, Path aclFile, Map<String, String> passwords) {

    /** The global admin of the demo. */
    public static final String ADMIN = "admin";

    /** Creates the demo's files in {@code folder} unless they exist, and returns the logins. */
    public static DemoAccess prepare(final Path folder, final List<DemoPlant> plants) throws IOException {
        Files.createDirectories(folder);
        final Path credentials = folder.resolve("credentials.properties");
        final Path passwd = folder.resolve("passwd");
        final Path acl = folder.resolve("acl");
        final boolean fresh = !Files.exists(credentials);
        final Map<String, String> passwords = fresh ? create(plants) : read(credentials);
        if (fresh) {
            write(credentials, passwords);
        }
        // Kept once made: they are the admin's to edit while the demo runs.
        if (fresh || !Files.exists(passwd)) {
            writePasswordFile(passwd, passwords);
        }
        if (fresh || !Files.exists(acl)) {
            Files.writeString(acl, aclFile(plants), StandardCharsets.UTF_8);
        }
        return new DemoAccess(passwd, acl, passwords);
    }

    /** The gateway user of {@code plant}. */
    public static String gatewayUser(final DemoPlant plant) {
        return "gw-" + plant.tenant() + "-" + plant.id();
    }

    /** The operator user of {@code tenant}. */
    public static String operatorUser(final String tenant) {
        return tenant + "-operator";
    }

    /** The password of {@code user}. */
    public String password(final String user) {
        final String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no demo user '" + user + "'");
        }
        return password;
    }

    private static List<String> users(final List<DemoPlant> plants) {
        final List<String> users = new ArrayList<>();
        users.add(ADMIN);
        new TreeSet<>(plants.stream().map(DemoPlant::tenant).toList()).forEach(t -> users.add(operatorUser(t)));
        plants.forEach(plant -> users.add(gatewayUser(plant)));
        return users;
    }

    private static Map<String, String> create(final List<DemoPlant> plants) {
        final SecureRandom random = new SecureRandom();
        final Map<String, String> passwords = new LinkedHashMap<>();
        for (final String user : users(plants)) {
            final StringBuilder password = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                password.append("abcdefghijkmnpqrstuvwxyz23456789".charAt(random.nextInt(32)));
            }
            passwords.put(user, password.toString());
        }
        return passwords;
    }

    private static String aclFile(final List<DemoPlant> plants) {
        final StringBuilder acl = new StringBuilder("""
                # Access rules of the cellwatch demo (made by --demo; edit while it runs: changes apply within 2 s).
                # Syntax: docs/access-control.md.

                # Gateways connect under their user name (the demo gateways: gw-TENANT-PLANT, and -meta for the
                # plant's metadata); nobody else can take their sessions or move their seq.
                clientid gateways %u
                clientid gateways %u-*

                # Global admin: every tenant, over MQTT and HTTP.
                admin admin
                """);
        for (final String tenant : new TreeSet<>(plants.stream().map(DemoPlant::tenant).toList())) {
            acl.append("\ntenant ").append(tenant).append('\n')
                    .append("gateways gw-").append(tenant).append("-*\n")
                    .append("operators ").append(operatorUser(tenant)).append('\n');
        }
        return acl.toString();
    }

    private static void writePasswordFile(final Path file, final Map<String, String> passwords) throws IOException {
        final StringBuilder lines = new StringBuilder();
        for (final Map.Entry<String, String> entry : passwords.entrySet()) {
            lines.append(entry.getKey()).append(':')
                    .append(PasswordHash.pbkdf2Sha512(entry.getValue().toCharArray())).append('\n');
        }
        PrivateFile.write(file, lines.toString());
    }

    private static Map<String, String> read(final Path file) throws IOException {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        final Map<String, String> passwords = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> passwords.put(k, properties.getProperty(k)));
        return passwords;
    }

    private static void write(final Path file, final Map<String, String> passwords) throws IOException {
        final Properties properties = new Properties();
        properties.putAll(passwords);
        final StringWriter text = new StringWriter();
        properties.store(text, "cellwatch demo logins (plain text: demo only)");
        PrivateFile.write(file, text.toString());
    }
}
