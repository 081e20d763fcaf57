package io.cellwatch.acl.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    private static final String HASH = PasswordHash.pbkdf2Sha512("pw".toCharArray());

    @TempDir
    Path dir;

    @Test
    void skipsCommentsAndBlankLinesAndKeepsFileOrder() throws Exception {
        Path file = write("# admins\n\nzed:" + HASH + "\r\n  \namy:" + HASH + "\n");

        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.users()).containsExactly("zed", "amy");
        assertThat(passwords.hashOf("amy")).contains(HASH);
        assertThat(passwords.hashOf("nobody")).isEmpty();
        assertThat(passwords.verify("amy", "pw".toCharArray())).isTrue();
    }

    @Test
    void reportsEveryProblemWithFileAndLine() throws Exception {
        Path file = write("ok:" + HASH + "\nno-colon\n:" + HASH + "\nplain:secret\nok:" + HASH + "\n");

        assertThatThrownBy(() -> PasswordFile.load(file))
                .isInstanceOfSatisfying(InvalidFileException.class, e -> assertThat(e.problems())
                        .map(FileProblem::toString)
                        .containsExactly(
                                file + ":2: missing ':' between user and password hash",
                                file + ":3: empty user name",
                                file + ":4: unknown password hash format for user 'plain' (expected "
                                        + "$7$<iterations>$<salt>$<hash> or $6$<salt>$<hash>, as mosquitto_passwd writes)",
                                file + ":5: duplicate user 'ok' (first at line 1)"))
                .hasMessageContaining("4 problems");
    }

    @Test
    void reportsAMissingFileByName() {
        Path file = dir.resolve("nope");

        assertThatThrownBy(() -> PasswordFile.load(file))
                .isInstanceOf(InvalidFileException.class)
                .hasMessageContaining(file + ": file does not exist");
    }

    private Path write(String content) throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, content);
        return file;
    }
}
