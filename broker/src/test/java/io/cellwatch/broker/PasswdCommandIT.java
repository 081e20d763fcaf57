package io.cellwatch.broker;

import io.cellwatch.acl.password.PasswordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar cellwatch.jar passwd …}, as an admin runs it, writes a file the broker's own code verifies. */
@Timeout(60)
class PasswdCommandIT {

    @TempDir
    Path dir;

    @Test
    void passwdSubcommandOfTheJarAddsAndDeletesUsers() throws Exception {
        final Path file = dir.resolve("passwd");

        assertThat(run("passwd", "-c", "-b", file.toString(), "alice", "alice-pw")).isZero();
        assertThat(run("passwd", "-b", file.toString(), "bob", "bob-pw")).isZero();
        assertThat(run("passwd", "-D", file.toString(), "alice")).isZero();

        final PasswordFile passwords = PasswordFile.load(file);
        assertThat(passwords.users()).containsExactly("bob");
        assertThat(passwords.verify("bob", "bob-pw".toCharArray())).isTrue();
        assertThat(passwords.hashOf("bob")).hasValueSatisfying(hash -> assertThat(hash).startsWith("$7$101$"));
    }

    @Test
    void passwdSubcommandWithoutArgumentsPrintsUsageAndFails() throws Exception {
        assertThat(run("passwd")).isEqualTo(1);
    }

    private static int run(final String... args) throws Exception {
        final Path jar = Path.of(System.getProperty("cellwatch.jar", "target/cellwatch.jar")).toAbsolutePath();
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
        return process.exitValue();
    }
}
