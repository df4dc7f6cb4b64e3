package org.bptt.study;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.bptt.api.internal.io.PlainFiles;
import org.bptt.api.plugin.ConfigurationException;

/**
 * A sweep folder's lock, held for a whole session of a sweep: one byte of {@value #FILE} per
 * plan entry, locked by the session that runs that entry. Two sessions that would run the same
 * entries (two sweeps of the whole plan, or overlapping shards) are refused before either starts,
 * instead of each finding the other's runs locked and reporting them failed; shards that share no
 * entry run side by side, as they are meant to.
 */
final class SweepLock implements AutoCloseable {
    static final String FILE = ".rnn-sweep.lock";

    private final FileChannel channel;
    private final List<FileLock> locks;

    private SweepLock(FileChannel channel, List<FileLock> locks) {
        this.channel = channel;
        this.locks = locks;
    }

    /** Locks the entries of {@code mine} in the sweep {@code folder} (which exists), or refuses in one sentence. */
    static SweepLock acquire(Path folder, List<PlanEntry> mine) {
        Path file = folder.resolve(FILE);
        String other = PlainFiles.notPlain(file);
        if (other != null) {
            throw new ConfigurationException("the sweep folder's lock " + file + " is " + other
                    + ", not a file the platform " + "made; remove it");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ConfigurationException(
                    "the sweep folder " + folder + " cannot be locked (" + e.getMessage() + ")");
        }
        List<FileLock> held = new ArrayList<>(mine.size());
        try {
            for (PlanEntry e : mine) {
                FileLock l = ch.tryLock(e.index(), 1, false);
                if (l == null) {
                    throw inUse(folder);
                }
                held.add(l);
            }
            return new SweepLock(ch, held);
        } catch (OverlappingFileLockException e) {
            close(ch);
            throw inUse(folder);
        } catch (IOException e) {
            close(ch);
            throw new ConfigurationException(
                    "the sweep folder " + folder + " cannot be locked (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    private static ConfigurationException inUse(Path folder) {
        return new ConfigurationException(
                "the sweep folder " + folder + " is in use by another sweep of the same runs (it "
                        + "holds their locks); wait for it to end, or run another shard of the plan");
    }

    private static void close(FileChannel ch) {
        try {
            ch.close(); // releases every lock taken through it
        } catch (IOException ignored) {
            // Nothing was written through it.
        }
    }

    @Override
    public void close() {
        locks.clear();
        close(channel);
    }
}
