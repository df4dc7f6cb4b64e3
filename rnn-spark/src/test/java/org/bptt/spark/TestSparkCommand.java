package org.bptt.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;
import org.bptt.cli.Main;
import org.bptt.cli.SparkMain;
import org.bptt.study.PlanEntry;
import org.bptt.study.SweepPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn sweep --engine spark} end to end, in-process, against the same command on the local
 * engine; the spark-submit entry point; the JVM options the launcher gives Spark.
 */
final class TestSparkCommand {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run rnn(List<String> args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(code, o.toString(), e.toString());
    }

    private static List<String> sweep(Path folder, String... engine) {
        List<String> a = new ArrayList<>(List.of("sweep", "-q", "-o", folder.toString()));
        a.addAll(Arrays.asList(engine));
        a.addAll(List.of(
                "--vary",
                "radius=0.5,1.2",
                "--seeds",
                "1,2",
                "--eval-sequences",
                "100",
                "--",
                "--init",
                "spectral",
                "--steps",
                "10",
                "--hidden",
                "8",
                "--batch",
                "8",
                "--iterations",
                "40",
                "--checkpoint-every",
                "20",
                "--diagnostics-every",
                "10",
                "--eval-every",
                "20"));
        return a;
    }

    @Test
    void aSweepOnSparkEqualsTheSameSweepOnTheLocalEngine() throws IOException {
        Path local = dir.resolve("local");
        Run l = rnn(sweep(local, "--parallel", "2"));
        assertEquals(0, l.code, l.err);
        Path spark = dir.resolve("spark");
        Run s = rnn(sweep(spark, "--engine", "spark", "--master", "local[2]"));
        assertEquals(0, s.code, s.err);
        assertEquals("", s.err, "quiet: Spark says nothing when all goes well");
        SweepPlan plan = SweepPlan.read(spark);
        assertEquals(4, plan.entries().size());
        SparkTests.assertSameSweep(plan, local, spark);
        // The same table, and where the summary is.
        assertEquals(
                l.out.lines().toList().subList(0, 4), s.out.lines().toList().subList(0, 4));
        assertTrue(s.out.contains("summary: " + spark + "/summary.csv, " + spark + "/summary.html"), s.out);

        // Again, by its folder: everything is done, nothing is trained.
        PlanEntry first = plan.entries().get(0);
        long before = Files.getLastModifiedTime(
                        SweepPlan.runFolder(spark, first).resolve("checkpoint.bin"))
                .toMillis();
        Run again = rnn(List.of(
                "sweep",
                "--engine",
                "spark",
                "--master",
                "local[2]",
                "--resume",
                spark.toUri().toString()));
        assertEquals(0, again.code, again.err);
        assertEquals(s.out.lines().limit(4).toList(), again.out.lines().limit(4).toList());
        assertTrue(again.out.contains("summary: " + spark.toUri() + "summary.csv"), again.out);
        assertEquals(
                before,
                Files.getLastModifiedTime(SweepPlan.runFolder(spark, first).resolve("checkpoint.bin"))
                        .toMillis());
        SparkTests.assertSameSweep(plan, local, spark);

        // A folder holds one sweep, wherever it runs.
        List<String> other = sweep(spark, "--engine", "spark", "--master", "local[2]");
        other.set(other.indexOf("radius=0.5,1.2"), "radius=0.5,0.9");
        Run refused = rnn(other);
        assertEquals(2, refused.code);
        assertTrue(
                refused.err.startsWith("rnn sweep: file:") && refused.err.contains(spark + " holds another sweep"),
                refused.err);
    }

    @Test
    void aMasterSparkCannotUseIsOneSentence() {
        Path sw = dir.resolve("bad");
        Run r = rnn(List.of(
                "sweep", "--engine", "spark", "--master", "lokal[2]", "-o", sw.toString(), "--", "--iterations", "5"));
        assertEquals(2, r.code, r.err);
        assertEquals(
                List.of("rnn sweep: Spark cannot start with master lokal[2]: Could not parse Master URL: 'lokal[2]'"),
                r.err.lines().toList());
        Run threads = rnn(List.of(
                "sweep",
                "--engine",
                "spark",
                "--master",
                "local[2]",
                "-o",
                sw.toString(),
                "--",
                "--iterations",
                "5",
                "--threads",
                "3"));
        assertEquals(2, threads.code, threads.err);
        assertTrue(threads.err.startsWith("rnn sweep: Spark cannot start with master local[2]: "), threads.err);
        assertEquals(1, threads.err.lines().count(), threads.err);
    }

    @Test
    void theSubmittedJarRunsSweepsOnSpark() {
        assertArrayEquals(
                new String[] {"sweep", "--engine", "spark", "-o", "hdfs://nn/s", "--", "--engine", "x"},
                SparkMain.withSparkEngine(new String[] {"sweep", "-o", "hdfs://nn/s", "--", "--engine", "x"}));
        String[] local = {"sweep", "--engine", "local", "-o", "s"};
        assertArrayEquals(local, SparkMain.withSparkEngine(local));
        String[] collect = {"sweep", "collect", "s"};
        assertArrayEquals(collect, SparkMain.withSparkEngine(collect));
        String[] train = {"train", "-o", "r"};
        assertArrayEquals(train, SparkMain.withSparkEngine(train));
    }

    @Test
    void attemptsPerTaskAsSparkCountsThem() {
        assertEquals(3, SparkSweep.attempts(new SparkConf(false).setMaster("local[2,3]")));
        assertEquals(3, SparkSweep.attempts(new SparkConf(false).setMaster("local[*, 3]")));
        assertEquals(1, SparkSweep.attempts(new SparkConf(false).setMaster("local[2]")));
        assertEquals(1, SparkSweep.attempts(new SparkConf(false).setMaster("local")));
        assertEquals(4, SparkSweep.attempts(new SparkConf(false).setMaster("yarn")));
        assertEquals(
                8,
                SparkSweep.attempts(
                        new SparkConf(false).setMaster("spark://h:7077").set("spark.task.maxFailures", "8")));
    }

    @Test
    void theLauncherGivesTheJvmEveryOptionSparksOwnLauncherGives() {
        List<String> ours =
                Arrays.asList(System.getProperty("spark.jvm.options").strip().split("\\s+"));
        for (String o : JavaModuleOptions.defaultModuleOptionArray()) {
            // This one depends on the JDK that runs the build; ./rnn adds it itself on JDK 24 and later.
            if (!o.startsWith("--sun-misc-unsafe-memory-access")) {
                assertTrue(ours.contains(o), o + " is missing from rnn-spark's spark.jvm.options");
            }
        }
    }

    @Test
    void executorsGetTheKernelsFlagsAndSpeculationIsRefused() {
        SweepPlan plan = SparkTests.plan();
        SparkConf c = SparkEngine.conf(plan, "local[2]");
        assertEquals("local[2]", c.get("spark.master"));
        assertEquals("false", c.get("spark.ui.enabled"));
        assertEquals("1", c.get("spark.task.cpus"));
        assertTrue(
                c.get("spark.executor.extraJavaOptions").contains("dontinline,org.bptt.simd.internal.SimdKernels::*"));
        assertFalse(SparkEngine.conf(plan, "yarn").contains("spark.ui.enabled"), "a cluster keeps Spark's web UI");
    }
}
