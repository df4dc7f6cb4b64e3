package org.bptt.cli.robust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;

/** Snapshots and comparisons of run folders. */
final class Folders {
    private Folders() {}

    /** Every file under {@code dir} with its bytes (hex of a digest), to tell whether anything changed. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(dir)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (Path p : s.toList()) {
                String rel = dir.relativize(p).toString();
                m.put(
                        rel,
                        Files.isRegularFile(p)
                                ? java.util.HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p)))
                                : "dir");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    static float[] params(Path run) {
        List<Float> l = new ArrayList<>();
        for (float[] a :
                Checkpoint.read(run.resolve("checkpoint.bin")).parameters().values()) {
            for (float f : a) {
                l.add(f);
            }
        }
        float[] r = new float[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    static String historyRows(Path run) throws IOException {
        return Json.MAPPER
                .readTree(run.resolve("diagnostics.json").toFile())
                .get("metrics")
                .toString();
    }

    static List<String> temporaries(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp"))
                    .toList();
        }
    }
}
