package org.bptt.cli.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second hostile round (issue 26), one test per class of attempt that fell: links and
 * look-alikes in run folders, the dashboard's addresses, amounts beyond a stated limit, closed
 * pipes and special files, and misleading messages. Plugins that end the process are in
 * TestMisbehavingPlugins; Host headers in rnn-dashboard's TestHostileDashboard.
 */
final class TestHostileRoundTwo {
    @TempDir
    static Path tmp;

    static Path trained;

    private static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "train",
                "--quiet",
                "--task",
                "adding",
                "--steps",
                "8",
                "--hidden",
                "8",
                "--batch",
                "8",
                "--iterations",
                "20",
                "--diagnostics-every",
                "10",
                "-o",
                out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static void refusedInOneLine(CliRunner r, int code, String... parts) {
        assertEquals(code, r.code, r.out + r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        for (String p : parts) {
            assertTrue(r.err.contains(p), "'" + p + "' in: " + r.err);
        }
        assertFalse(r.err.contains("Exception") || r.err.contains("internal error"), r.err);
    }

    private static boolean mkfifo(Path p) throws IOException, InterruptedException {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        return mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0;
    }

    @BeforeAll
    static void aRun() {
        trained = tmp.resolve("trained");
        assertEquals(0, CliRunner.run(train(trained)).code);
    }

    private static Path copyOfRun(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (var s = Files.list(trained)) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    // ---------------------------------------------------------------- links and look-alikes

    @Test
    void aResumeRefusesALinkedMetricsFileAndLeavesItsTargetAlone() throws IOException {
        Path run = copyOfRun("linked-metrics");
        Path outside = tmp.resolve("someone-elses.csv");
        Files.writeString(outside, "a,b\n1,2\n".repeat(100));
        byte[] before = Files.readAllBytes(outside);
        Files.delete(run.resolve("metrics.csv"));
        Files.createSymbolicLink(run.resolve("metrics.csv"), outside);
        refusedInOneLine(
                CliRunner.run("train", "--quiet", "--resume", run.toString(), "--iterations", "40"),
                2,
                "metrics.csv",
                "is a symbolic link");
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(outside));
    }

    @Test
    void aLinkedLockCreatesNothingAtItsTarget() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("linked-lock"));
        Path target = tmp.resolve("planted-by-the-lock");
        Files.createSymbolicLink(run.resolve(".rnn.lock"), target);
        refusedInOneLine(CliRunner.run(train(run)), 2, ".rnn.lock", "symbolic link");
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void filesNamedLikeTemporariesAreTheUsersAndAreKept() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("look-alikes"));
        Files.writeString(run.resolve(".report.html.tmp"), "draft");
        Files.writeString(run.resolve(".config.json.backup.tmp"), "backup");
        refusedInOneLine(CliRunner.run(train(run)), 2, "is not empty");
        assertEquals("draft", Files.readString(run.resolve(".report.html.tmp")));
        assertEquals("backup", Files.readString(run.resolve(".config.json.backup.tmp")));
    }

    @Test
    void aDanglingOutputLinkIsNamedAsOne() throws IOException {
        Path link = tmp.resolve("dangling");
        Files.createSymbolicLink(link, tmp.resolve("nowhere"));
        refusedInOneLine(CliRunner.run(train(link)), 2, "is a symbolic link to", "which does not exist");
    }

    // ---------------------------------------------------------------- the dashboard's addresses

    @Test
    void theDashboardWarnsBeyondLoopbackAndNamesItsAddresses() throws Exception {
        Child c = Child.start(
                tmp.resolve("logs"), List.of(), "dashboard", tmp.toString(), "--host", "0.0.0.0", "--port", "0");
        try {
            for (int i = 0; i < 600 && !c.out().contains("dashboard of"); i++) {
                assertTrue(c.process.isAlive(), c.out() + c.err());
                Thread.sleep(100);
            }
            assertTrue(c.out().contains("dashboard of"), c.out() + c.err());
            assertTrue(
                    c.err()
                            .contains(
                                    "warning: the dashboard listens beyond this machine; anyone who can reach http://"),
                    c.err());
            assertTrue(
                    c.err().matches("(?s).*http://127\\.0\\.0\\.1:\\d+/.*"),
                    "the real addresses, not 0.0.0.0: " + c.err());
            assertFalse(c.err().contains("0.0.0.0"), c.err());
        } finally {
            c.kill();
        }
        refusedInOneLine(
                CliRunner.run("dashboard", tmp.toString(), "--host", "nosuch.invalid", "--port", "0"),
                2,
                "the address nosuch.invalid to listen on cannot be resolved");
    }

    // ---------------------------------------------------------------- amounts

    @Test
    void sweepSizesNameTheirLimit() {
        Path out = tmp.resolve("sweep-never");
        refusedInOneLine(
                CliRunner.run(
                        "sweep",
                        "-o",
                        out.toString(),
                        "--vary",
                        "lr=log:1e-4..1e-2",
                        "--random",
                        "1000000000",
                        "--",
                        "--task",
                        "adding"),
                2,
                "between 1 and 10000");
        refusedInOneLine(
                CliRunner.run("sweep", "-o", out.toString(), "--seeds", "1..10001", "--", "--task", "adding"),
                2,
                "more than 10000 seeds");
        StringBuilder list = new StringBuilder("1");
        for (int i = 2; i <= 20_000; i++) {
            list.append(',').append(i);
        }
        refusedInOneLine(
                CliRunner.run("sweep", "-o", out.toString(), "--seeds", list.toString(), "--", "--task", "adding"),
                2,
                "more than 10000 seeds");
        assertFalse(Files.exists(out));
    }

    @Test
    void countsAtTheIntLimitAreRefusedNotWrapped() {
        refusedInOneLine(
                CliRunner.run("evaluate", trained.toString(), "--sequences", "2147483647"),
                2,
                "held-out sequences must be between 1 and 10000000, got 2147483647");
    }

    @Test
    void anAbsurdClipThresholdStillGivesAReport() throws IOException {
        Path run = tmp.resolve("threshold");
        CliRunner r = CliRunner.run(train(run, "--policy", "clip-norm", "--threshold", "1e300"));
        assertEquals(0, r.code, r.err);
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.length() < 5_000_000, "a report of ordinary size: " + html.length());
    }

    // ---------------------------------------------------------------- pipes and special files

    @Test
    void generateEndsWhenItsReaderIsGone() throws Exception {
        Path lm = tmp.resolve("lm");
        assertEquals(
                0,
                CliRunner.run(
                                "train",
                                "--quiet",
                                "--task",
                                "text",
                                "--steps",
                                "16",
                                "--hidden",
                                "8",
                                "--batch",
                                "4",
                                "--iterations",
                                "2",
                                "-o",
                                lm.toString())
                        .code);
        Process p = new ProcessBuilder(Child.command(List.of(), "generate", lm.toString(), "--length", "100000000"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.getOutputStream().close();
        try (InputStream in = p.getInputStream()) {
            assertEquals(256, in.readNBytes(256).length, "it generates");
        } // closed: as | head does
        boolean ended = p.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        assertTrue(ended, "generate went on writing 100 million characters into a closed pipe");
        assertEquals(1, p.exitValue());
    }

    @Test
    void aFifoWhereAFileIsExpectedIsRefusedUnopened() throws Exception {
        Path fifo = tmp.resolve("config.fifo");
        assumeTrue(mkfifo(fifo), "mkfifo is available");
        refusedInOneLine(
                CliRunner.run(train(tmp.resolve("fifo-run"), "--config", fifo.toString())), 2, "not a regular file");
        refusedInOneLine(
                CliRunner.run(
                        "train",
                        "--quiet",
                        "--task",
                        "text",
                        "--text",
                        fifo.toString(),
                        "-o",
                        tmp.resolve("fifo-text").toString()),
                2,
                "not a regular file");
    }

    // ---------------------------------------------------------------- messages

    @Test
    void aConfigWithAByteOrderMarkIsAccepted() throws IOException {
        Path cfg = tmp.resolve("bom.json");
        byte[] text = Files.readAllBytes(trained.resolve("config.json"));
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Files.write(cfg, withBom);
        CliRunner r = CliRunner.run(
                "train",
                "--quiet",
                "--config",
                cfg.toString(),
                "--iterations",
                "3",
                "-o",
                tmp.resolve("from-bom").toString());
        assertEquals(0, r.code, r.err);
    }

    @Test
    void resumeHintsAreShellQuoted() throws IOException {
        Path run = copyOfRun("a run's folder");
        CliRunner r = CliRunner.run("train", "--resume", run.toString());
        assertEquals(0, r.code, r.err);
        String quoted = "'" + run.toString().replace("'", "'\\''") + "'";
        assertTrue(r.out.contains("rnn train --resume " + quoted + " --iterations N"), r.out);
    }
}
