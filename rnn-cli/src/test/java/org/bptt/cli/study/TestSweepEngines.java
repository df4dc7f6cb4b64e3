package org.bptt.cli.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn sweep --engine}: the local engine is the default and needs nothing more; another is
 * found on the class path, and without it the command says so in one sentence and writes nothing.
 * (rnn-spark's tests run the Spark engine through this same command.)
 */
final class TestSweepEngines {
    @TempDir
    Path dir;

    private static void assertOneLine(CliRunner r, String expected) {
        assertEquals(2, r.code, r.err);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.contains(expected), r.err);
    }

    @Test
    void anEngineThatIsNotOnTheClassPathIsNamedWithThoseThatAre() {
        Path sw = dir.resolve("sw");
        assertOneLine(
                CliRunner.run("sweep", "--engine", "spark", "-o", sw.toString(), "--", "--iterations", "5"),
                "rnn sweep: --engine spark is not available here; the engines on the class path are local (./rnn adds the Spark "
                        + "engine when given --engine spark");
        assertOneLine(
                CliRunner.run("sweep", "--engine", "slurm", "-o", sw.toString()),
                "--engine slurm is not available here");
        assertFalse(Files.exists(sw), "nothing written");
    }

    @Test
    void optionsOfOneEngineAreRefusedWithTheOther() {
        Path sw = dir.resolve("sw");
        assertOneLine(
                CliRunner.run("sweep", "--master", "local[2]", "-o", sw.toString()),
                "--master goes with --engine spark; the local engine runs on this machine");
        assertOneLine(
                CliRunner.run("sweep", "--engine", "spark", "--parallel", "2", "-o", sw.toString()),
                "--parallel and --shard are for the local engine (with Spark: --master local[N], or executors and their cores)");
        assertOneLine(
                CliRunner.run("sweep", "--engine", "spark", "--shard", "1/2", "-o", sw.toString()),
                "--parallel and --shard");
        assertOneLine(
                CliRunner.run("sweep", "-o", "hdfs://namenode/sweeps/a", "--", "--iterations", "5"),
                "the sweep folder hdfs://namenode/sweeps/a is a URI; the local engine writes to a folder of this machine, "
                        + "--engine spark to a URI");
        assertFalse(Files.exists(sw));
        assertFalse(Files.exists(Path.of("hdfs:")), "no folder named after the scheme");
    }
}
