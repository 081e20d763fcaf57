package io.cellwatch.acl.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks our hashing against the real mosquitto_passwd (Debian package {@code mosquitto}), both directions. */
class MosquittoPasswdInteropTest {

    private static final Path MOSQUITTO_PASSWD = Path.of("/usr/bin/mosquitto_passwd");

    @TempDir
    Path dir;

    @BeforeAll
    static void requireMosquittoPasswd() {
        if (!Files.isExecutable(MOSQUITTO_PASSWD)) {
            fail(MOSQUITTO_PASSWD + " is missing: install the Debian package 'mosquitto' "
                    + "(apt-get install -y mosquitto); these interoperability tests must not be skipped");
        }
    }

    @Test
    void verifiesPasswordsWrittenByMosquittoPasswd() throws Exception {
        Path file = dir.resolve("passwd");
        mosquittoPasswd("-c", "-b", file.toString(), "alice", "alice-pw");
        mosquittoPasswd("-b", file.toString(), "bob", "bob pw with spaces");

        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.users()).containsExactly("alice", "bob");
        assertThat(passwords.hashOf("alice")).get().asString().startsWith("$7$101$");
        assertThat(passwords.verify("alice", "alice-pw".toCharArray())).isTrue();
        assertThat(passwords.verify("bob", "bob pw with spaces".toCharArray())).isTrue();
        assertThat(passwords.verify("alice", "bob pw with spaces".toCharArray())).isFalse();
        assertThat(passwords.verify("bob", "alice-pw".toCharArray())).isFalse();
        assertThat(passwords.verify("carol", "alice-pw".toCharArray())).isFalse();
    }

    @Test
    void verifiesSha512HashesWrittenByMosquittoPasswd() throws Exception {
        Path file = dir.resolve("passwd");
        mosquittoPasswd("-H", "sha512", "-c", "-b", file.toString(), "legacy", "old-pw");

        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.hashOf("legacy")).get().asString().startsWith("$6$");
        assertThat(passwords.verify("legacy", "old-pw".toCharArray())).isTrue();
        assertThat(passwords.verify("legacy", "old-pw2".toCharArray())).isFalse();
    }

    @Test
    void fileWrittenByOurCommandIsAcceptedAndEditedByMosquittoPasswd() throws Exception {
        Path file = dir.resolve("passwd");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(PasswdCommand.run(new String[] {"-c", "-b", file.toString(), "ours", "our-pw"}, sink, sink,
                p -> null)).isZero();

        // mosquitto_passwd parses every line of the file to add a user; a malformed line would make it fail.
        mosquittoPasswd("-b", file.toString(), "theirs", "their-pw");
        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.users()).containsExactly("ours", "theirs");
        assertThat(passwords.verify("ours", "our-pw".toCharArray())).isTrue();
        assertThat(passwords.verify("theirs", "their-pw".toCharArray())).isTrue();
    }

    @Test
    void mosquittoPasswdDeletesAUserWeAdded() throws Exception {
        Path file = dir.resolve("passwd");
        mosquittoPasswd("-c", "-b", file.toString(), "theirs", "their-pw");
        PasswordFileWriter.put(file, "ours", PasswordHash.pbkdf2Sha512("our-pw".toCharArray()));

        mosquittoPasswd("-D", file.toString(), "ours");

        assertThat(PasswordFile.load(file).users()).containsExactly("theirs");
    }

    private static void mosquittoPasswd(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(MOSQUITTO_PASSWD.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("mosquitto_passwd %s: %s", command, output).isZero();
    }
}
