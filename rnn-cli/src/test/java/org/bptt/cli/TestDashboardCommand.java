package org.bptt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn dashboard} and {@code rnn train --dashboard} from the command line. */
final class TestDashboardCommand {
    @TempDir
    Path dir;

    @Test
    void aMissingFolderOrABadPortIsOneSentence() {
        CliRunner r = CliRunner.run("dashboard", dir.resolve("none").toString());
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("rnn dashboard: ") && r.err.contains("is not a folder"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        CliRunner p = CliRunner.run("dashboard", dir.toString(), "--port", "70000");
        assertEquals(2, p.code);
        assertTrue(p.err.contains("the port must be between 0 and 65535"), p.err);
    }

    @Test
    void trainWithDashboardServesTheRunOnThisMachine() {
        CliRunner r = CliRunner.run(
                "train",
                "--quiet",
                "--dashboard",
                "--steps",
                "8",
                "--hidden",
                "8",
                "--iterations",
                "20",
                "-o",
                dir.resolve("run").toString());
        assertEquals(0, r.code, r.err);
        Matcher m = Pattern.compile("dashboard: http://127\\.0\\.0\\.1:(\\d+)/").matcher(r.out);
        assertTrue(m.find(), r.out);
        assertTrue(Integer.parseInt(m.group(1)) > 0);
    }
}
