package org.bptt.training.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.internal.io.PlainFiles;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Json;

/**
 * A run folder owned by this process for as long as the object lives: an OS lock on
 * {@value #LOCK} in the folder, so that a second process (or a second run in this JVM) that
 * wants to write there is refused instead of silently mixing its files with ours. The lock
 * file itself stays (deleting it would let a third process lock a new file while a second
 * still waits on the old one); it is empty and hidden.
 */
final class RunFolder implements AutoCloseable {
    static final String LOCK = ".rnn.lock";
    /** Every file the platform writes into a run folder; only these are ever replaced or removed. */
    static final List<String> PLATFORM_FILES = List.of(
            TrainingRun.CONFIG,
            TrainingRun.CHECKPOINT,
            TrainingRun.DIAGNOSTICS,
            "metrics.csv",
            "metrics.jsonl",
            TrainingRun.REPORT,
            "analysis.html",
            org.bptt.training.eval.EvaluationSettings.FILE,
            TimingsFile.FILE,
            RunOutcome.FILE);

    /**
     * Folders locked by this JVM. On POSIX systems closing any channel to a locked file drops
     * every lock the process holds on it, so a second run in this JVM must be refused before it
     * opens the lock file at all.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path key;
    private final boolean createdHere;
    private final boolean lockCreatedHere;
    private FileChannel channel;
    private FileLock lock;

    private RunFolder(
            Path dir, Path key, boolean createdHere, boolean lockCreatedHere, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.createdHere = createdHere;
        this.lockCreatedHere = lockCreatedHere;
        this.channel = channel;
        this.lock = lock;
    }

    Path dir() {
        return dir;
    }

    /** The folder for a new run: created if absent, locked, and refused unless it is empty. */
    static RunFolder forNewRun(Path dir) {
        requireName(dir);
        boolean created = false;
        try {
            if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
                throw new ConfigurationException(
                        "the output folder " + dir + " is a symbolic link to " + Files.readSymbolicLink(dir)
                                + ", which does not exist; give a folder, or create the link's target");
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new ConfigurationException("the output folder " + dir + " is a file; give a folder");
            }
            if (!Files.exists(dir)) {
                Files.createDirectories(dir);
                created = true;
            }
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new ConfigurationException(
                    "the output folder " + dir + " cannot be created: " + e.getFile() + " is a file, not a folder");
        } catch (IOException e) {
            throw new ConfigurationException(
                    "the output folder " + dir + " cannot be created (" + Json.ioReason(e) + ")");
        }
        RunFolder f = lock(dir, created, "output folder");
        try {
            List<String> others = new ArrayList<>();
            for (String name : f.entries()) {
                if (name.equals(TrainingRun.CONFIG) || name.equals(TrainingRun.CHECKPOINT)) {
                    throw new ExistingRunException(dir);
                }
                others.add(name);
            }
            if (!others.isEmpty()) {
                throw new ConfigurationException("the output folder " + dir + " is not empty (it holds " + list(others)
                        + "); choose a new or empty folder, as a run never replaces files it did not write");
            }
            // A run killed before it wrote its configuration may have left temporaries of its first files.
            f.removeTemporaries();
            return f;
        } catch (RuntimeException e) {
            f.abandon();
            throw e;
        }
    }

    /** The folder of an existing run, locked; its leftover temporaries removed. */
    static RunFolder forResume(Path dir) {
        requireName(dir);
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(
                    dir + (Files.exists(dir) ? " is a file, not a run folder" : ": no such run folder"));
        }
        RunFolder f = lock(dir, false, "run folder");
        try {
            f.refuseLinks();
            f.removeTemporaries();
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private static void requireName(Path dir) {
        if (dir.toString().isBlank()) {
            throw new ConfigurationException("the run folder's name is empty; give a folder");
        }
    }

    private static RunFolder lock(Path dir, boolean created, String what) {
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new ConfigurationException(
                    "the " + what + " " + dir + " cannot be opened (" + Json.ioReason(e) + ")");
        }
        if (!HELD.add(key)) {
            throw inUse(dir, what);
        }
        FileChannel ch = null;
        try {
            Path lockFile = dir.resolve(LOCK);
            String other = PlainFiles.notPlain(lockFile);
            if (other != null) {
                throw new ConfigurationException(
                        "the " + what + "'s lock " + lockFile + " is " + other + ", not a file the "
                                + "platform made; remove it (a run never writes through a link or into a special file)");
            }
            boolean existed = Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS);
            ch = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw inUse(dir, what);
            }
            return new RunFolder(dir, key, created, !existed, ch, l);
        } catch (IOException | OverlappingFileLockException | ConfigurationException e) {
            HELD.remove(key);
            closeQuietly(ch);
            if (created) {
                deleteQuietly(dir.resolve(LOCK));
                deleteQuietly(dir);
            }
            if (e instanceof ConfigurationException c) {
                throw c;
            }
            if (e instanceof OverlappingFileLockException) {
                throw inUse(dir, what);
            }
            throw new ConfigurationException(
                    "the " + what + " " + dir + " cannot be written (" + Json.ioReason((IOException) e) + ")");
        }
    }

    private static ConfigurationException inUse(Path dir, String what) {
        return new ConfigurationException(
                "the " + what + " " + dir + " is in use by another training run (it holds the "
                        + "folder's lock); wait for that run to end, or choose another folder");
    }

    /** The folder's entries other than the lock and leftover temporaries, sorted. */
    Set<String> entries() {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.equals(LOCK) && !isTemporary(n)) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException("the run folder " + dir + " cannot be listed (" + Json.ioReason(e) + ")");
        }
        return names;
    }

    /**
     * A temporary the platform's writer ({@link AtomicFile}) made for one of the run's files and
     * left when its process was killed: only that exact shape, so that a user's
     * {@code .report.html.tmp} is neither deleted nor ignored.
     */
    static boolean isTemporary(String name) {
        for (String f : PLATFORM_FILES) {
            if (AtomicFile.isTemporaryOf(name, f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a folder whose platform files are not plain files: a symbolic link (a resume would
     * read, cut or append to a file outside the folder), a FIFO (a read would block) or a folder.
     */
    void refuseLinks() {
        for (String name : PLATFORM_FILES) {
            Path p = dir.resolve(name);
            String other = PlainFiles.notPlain(p);
            if (other != null) {
                throw new ConfigurationException("the run folder's " + name + " (" + p + ") is " + other
                        + ", not a file the run wrote; a run reads and writes only plain files in its own folder, so "
                        + "move it away (or replace it by the file itself) to continue");
            }
        }
    }

    /** Removes temporaries left by a killed run; returns how many. */
    int removeTemporaries() {
        int n = 0;
        try (DirectoryStream<Path> s =
                Files.newDirectoryStream(dir, p -> isTemporary(p.getFileName().toString()))) {
            for (Path p : s) {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException(
                    "the run folder " + dir + " cannot be cleaned of temporary files (" + Json.ioReason(e) + ")");
        }
        return n;
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // Closing the channel releases it too.
        }
        closeQuietly(channel);
        channel = null;
        lock = null;
        HELD.remove(key);
    }

    /**
     * For a new run that could not start: releases the lock and removes what this object
     * created, the lock file and the folder, so that a refused run leaves the folder as it was.
     */
    void abandon() {
        close();
        if (lockCreatedHere) {
            deleteQuietly(dir.resolve(LOCK));
        }
        if (createdHere) {
            deleteQuietly(dir);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing was written through it.
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A folder that is not empty after all stays.
        }
    }

    /** At most three names, then how many more. */
    static String list(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(3, names.size())));
        return names.size() > 3 ? shown + " and " + (names.size() - 3) + " more" : shown;
    }
}
