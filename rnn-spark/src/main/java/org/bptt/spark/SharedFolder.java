package org.bptt.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.bptt.api.internal.io.AtomicFile;

/**
 * A folder on shared storage, reached through Hadoop's {@link FileSystem}: a local or mounted
 * folder, HDFS, or an object store, by the folder's URI and the Hadoop configuration. Whole files
 * only: each file is replaced at once, never seen half-written — on an object store by a single
 * upload (an object appears whole when its upload completes), elsewhere by a temporary file
 * renamed over the old one. Not thread-safe; one per task.
 */
final class SharedFolder {
    /** Schemes of object stores, where a file written in place is already atomic and a rename is a copy. */
    private static final Set<String> OBJECT_STORES =
            Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "cosn", "obs");

    private final FileSystem fs;
    private final Configuration conf;
    private final Path dir;
    private final boolean objectStore;
    /** The CRC-32C of each file as last copied to or from here, to copy only what changed. */
    private final Map<String, Long> copied = new HashMap<>();

    SharedFolder(Path dir, Configuration conf) throws IOException {
        this.conf = requireNonNull(conf, "conf is null");
        FileSystem f = requireNonNull(dir, "dir is null").getFileSystem(conf);
        // A local folder is written without Hadoop's .crc side files: a run folder stays an ordinary one.
        this.fs = f instanceof LocalFileSystem l ? ((FilterFileSystem) l).getRawFileSystem() : f;
        this.dir = fs.makeQualified(dir);
        this.objectStore = OBJECT_STORES.contains(
                String.valueOf(this.dir.toUri().getScheme()).toLowerCase(Locale.ROOT));
    }

    /** A folder given as a path or URI, resolved as Hadoop does: a path without a scheme is on the default file system. */
    static SharedFolder of(String folder, Configuration conf) throws IOException {
        return new SharedFolder(new Path(folder), conf);
    }

    /** The fully qualified URI of the folder, e.g. file:/home/me/sweep or hdfs://nn:8020/sweeps/a. */
    URI uri() {
        return dir.toUri();
    }

    SharedFolder child(String name) throws IOException {
        return new SharedFolder(new Path(dir, name), conf);
    }

    boolean exists(String name) throws IOException {
        return fs.exists(new Path(dir, name));
    }

    String readString(String name) throws IOException {
        try (InputStream in = fs.open(new Path(dir, name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    void writeString(String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        replace(name, out -> out.write(bytes));
    }

    /** Copies a local file to {@code name} here, replacing it whole. */
    void upload(java.nio.file.Path local, String name) throws IOException {
        replace(name, out -> Files.copy(local, out));
    }

    /**
     * Copies the given files of a local folder here, in the given order, each whole; a file that
     * has not changed since it was last copied from this object is skipped.
     */
    void uploadChanged(java.nio.file.Path localDir, List<String> names) throws IOException {
        fs.mkdirs(dir);
        for (String name : names) {
            java.nio.file.Path f = localDir.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            // By content: a file replaced within the file system's time resolution keeps its size and time.
            long stamp = crc(f);
            if (!Long.valueOf(stamp).equals(copied.get(name))) {
                upload(f, name);
                copied.put(name, stamp);
            }
        }
    }

    /**
     * Copies every file of this folder (none when it does not exist) into a local folder, leaving
     * out temporaries; returns their names.
     */
    List<String> download(java.nio.file.Path localDir) throws IOException {
        List<String> names = new ArrayList<>();
        if (!fs.exists(dir)) {
            return names;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (!s.isFile() || isTemporary(name)) {
                continue;
            }
            java.nio.file.Path target = localDir.resolve(name);
            try (InputStream in = fs.open(s.getPath())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            copied.put(name, crc(target));
            names.add(name);
        }
        return names;
    }

    /** Writes {@code name} whole: in place on an object store, else through a temporary renamed over it. */
    private void replace(String name, Writer writer) throws IOException {
        Path target = new Path(dir, name);
        if (objectStore) {
            try (OutputStream out = fs.create(target, true)) {
                writer.write(out);
            }
            return;
        }
        // Named as the platform's atomic writer names its temporaries, so that one rule tells them from a user's files.
        Path tmp = new Path(
                dir,
                "." + name + AtomicFile.MARKER
                        + Long.toUnsignedString(UUID.randomUUID().getLeastSignificantBits()) + ".tmp");
        try {
            try (OutputStream out = fs.create(tmp, false)) {
                writer.write(out);
            }
            rename(tmp, target);
        } finally {
            fs.delete(tmp, false);
        }
    }

    /** Renames over an existing file atomically where the file system can (POSIX, HDFS). */
    private void rename(Path from, Path to) throws IOException {
        if (fs.rename(from, to)) {
            // A local file system replaces the target atomically (rename(2)); HDFS refuses an existing one.
            return;
        }
        FileContext.getFileContext(fs.getUri(), conf).rename(from, to, Options.Rename.OVERWRITE);
    }

    private static long crc(java.nio.file.Path f) throws IOException {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(Files.readAllBytes(f));
        return c.getValue();
    }

    /**
     * A temporary of this class or of the platform's {@link AtomicFile}: {@code .NAME.rnn-DIGITS.tmp}
     * exactly, so that a user's {@code .notes.tmp} is copied like any other file.
     */
    static boolean isTemporary(String name) {
        return AtomicFile.isTemporary(name);
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }
}
