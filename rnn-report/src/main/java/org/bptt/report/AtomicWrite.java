package org.bptt.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers see either the old content or the complete new one: the bytes go to a temp file in
 * the same folder (so the final move stays on one file system and can be atomic), which is then moved over the
 * target. On any failure the temp file is deleted and the target is left as it was.
 */
final class AtomicWrite {

    /** Produces the file's bytes. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * @param file the target file; its folder must exist
     * @param what what is being written, for the error message (e.g. "report")
     * @throws IOException naming the target and the cause when anything goes wrong
     */
    static void write(Path file, String what, Body body) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            if (dir == null) {
                throw new NoSuchFileException(target.toString(), null, "no parent folder");
            }
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                body.writeTo(out);
                out.flush();
                ch.force(true); // on disk before the rename makes it visible
            }
            makeWorldReadable(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot write " + what + " to " + target + ": " + describe(e, tmp), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure is the one worth reporting.
                }
            }
        }
    }

    /** Temp files are created owner-only; a report is meant to be shared like any file the user writes. */
    private static void makeWorldReadable(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // Not POSIX, or not allowed: the owner can still read it.
        }
    }

    /** The cause in words; the temp file's name is left out, it means nothing to the user and is gone. */
    private static String describe(Exception e, Path tmp) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        if (e instanceof NoSuchFileException n) {
            return "folder or file does not exist (" + n.getFile() + ")";
        }
        if (e instanceof NotDirectoryException n) {
            return "not a folder (" + n.getFile() + ")";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "the target is a non-empty folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            boolean aboutTmp = tmp != null && tmp.toString().equals(f.getFile());
            return f.getReason() + (aboutTmp || f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
