package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stateful training's heap does not grow with the stream: a stream 25 times longer keeps
 * within 10 % of the live heap of a short one, the difference being the text itself (4 bytes a
 * character). The same check catches whole-sequence training of the long text, whose states grow
 * with T. Each case in a fresh JVM (the scalar backend: no Vector API flags needed).
 */
final class TestStatefulMemory {
    @TempDir
    Path dir;

    @Test
    void heapDoesNotGrowWithTheStream() throws IOException, InterruptedException {
        long shortStream = live(2_000, "stateful");
        long longStream = live(50_000, "stateful");
        long textBytes = 4L * 50_000;
        assertTrue(
                longStream <= 1.10 * shortStream,
                "a stream of 50,000 steps keeps " + longStream + " bytes live, one of 2,000 keeps " + shortStream);
        assertTrue(
                longStream - shortStream <= 2 * textBytes,
                "the growth is more than the text: " + (longStream - shortStream));
        long whole = live(50_000, "whole");
        assertTrue(
                whole > 1.10 * shortStream,
                "the check would not see memory growing with T: whole-sequence training of " + "50,000 steps keeps "
                        + whole + " bytes live, the short stream " + shortStream);
    }

    private long live(int steps, String mode) throws IOException, InterruptedException {
        Path text = dir.resolve("t" + steps + ".txt");
        StringBuilder s = new StringBuilder();
        String words = "the quick brown fox jumps over the lazy dog. ";
        while (s.length() < steps + 1) {
            s.append(words);
        }
        Files.writeString(text, s.substring(0, steps + 1), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseParallelGC",
                "-cp",
                System.getProperty("java.class.path"),
                StreamMemoryProbe.class.getName(),
                Integer.toString(steps),
                mode,
                text.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        String last = out.strip().lines().reduce("", (a, b) -> b);
        assertTrue(exit == 0 && last.startsWith("live-bytes "), "the probe failed (exit " + exit + "):\n" + out);
        return Long.parseLong(last.substring("live-bytes ".length()));
    }
}
