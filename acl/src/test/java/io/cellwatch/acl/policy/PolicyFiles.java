package io.cellwatch.acl.policy;

import io.cellwatch.acl.password.PasswordHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a password file (each user's password is {@code <user>-pw}) and an ACL file into a test folder. */
final class PolicyFiles {

    final Path passwd;
    final Path acl;

    PolicyFiles(Path dir) {
        this.passwd = dir.resolve("passwd");
        this.acl = dir.resolve("acl");
    }

    PolicyFiles users(String... users) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String user : users) {
            sb.append(user).append(':').append(PasswordHash.pbkdf2Sha512((user + "-pw").toCharArray())).append('\n');
        }
        Files.createDirectories(passwd.getParent());
        Files.writeString(passwd, sb.toString());
        return this;
    }

    PolicyFiles acl(String... lines) throws IOException {
        Files.writeString(acl, String.join("\n", lines) + "\n");
        return this;
    }

    AccessPolicy load() throws Exception {
        return AccessPolicy.load(passwd, acl);
    }
}
