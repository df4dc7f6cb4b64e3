package org.bptt.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Json;
import org.bptt.training.wiring.PluginChoice;

/**
 * The SHA-256 of every file a task reads: each of its options whose value names a regular
 * file (the text task's {@code text}, or a third-party task's data). A checkpoint records
 * them so that a run resumed on changed data is refused instead of quietly training on other
 * data. Tasks that generate their data from the seed read no file and have no digest.
 */
final class DataDigest {
    private DataDigest() {}

    /** {@code {"OPTION": {"file": PATH, "sha256": HEX}}} for each option of the task that names a file. */
    static ObjectNode of(PluginChoice task) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, String> e : task.options().entrySet()) {
            Path file = file(e.getValue());
            if (file != null) {
                ObjectNode f = o.putObject(e.getKey());
                f.put("file", e.getValue().strip());
                f.put("sha256", sha256(file));
            }
        }
        return o;
    }

    /** Refuses a resume whose task reads a file that differs from the one the checkpoint saw. */
    static void requireSame(JsonNode saved, PluginChoice task, Path checkpoint) {
        if (!saved.isObject()) {
            return;
        }
        ObjectNode now = of(task);
        for (var it = saved.fields(); it.hasNext(); ) {
            var e = it.next();
            String was = e.getValue().path("sha256").asText("");
            String is = now.path(e.getKey()).path("sha256").asText("");
            if (!was.equals(is)) {
                throw new ConfigurationException(
                        "the data file " + e.getValue().path("file").asText("?") + " (the task's option '"
                                + e.getKey() + "') has changed since " + checkpoint
                                + " was written, so the run would go on with other "
                                + "data; restore the file, or start a new run on the new data");
            }
        }
    }

    private static Path file(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 4096) {
            return null;
        }
        try {
            Path p = Path.of(v);
            return Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new ConfigurationException("the data file " + file + " cannot be read (" + Json.ioReason(e) + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
