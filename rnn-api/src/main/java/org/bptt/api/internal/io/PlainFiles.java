package org.bptt.api.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a path is when a plain file is expected: the platform reads and writes its own files only
 * when they are regular files reached without a symbolic link, and never opens a FIFO or a device
 * (a read would block forever, a write go nowhere).
 */
public final class PlainFiles {
    private PlainFiles() {}

    /**
     * Null when {@code p} is absent or a regular file that is not a link; otherwise what it is
     * instead, in words ("a symbolic link", "a folder", "a FIFO, device or socket").
     */
    public static String notPlain(Path p) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "unreadable (" + e.getClass().getSimpleName() + ")";
        }
        if (a.isRegularFile()) {
            return null;
        }
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        return a.isDirectory() ? "a folder" : "a FIFO, device or socket";
    }

    /**
     * Null when {@code p}, following links, is absent or a regular file; "a folder" or
     * "a FIFO, device or socket" otherwise. For files a user names, where a link is theirs to make.
     */
    public static String notRegular(Path p) {
        if (!Files.exists(p) || Files.isRegularFile(p)) {
            return null;
        }
        return Files.isDirectory(p) ? "a folder" : "a FIFO, device or socket";
    }
}
