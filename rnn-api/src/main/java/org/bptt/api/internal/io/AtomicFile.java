package org.bptt.api.internal.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * The platform's one way to write a file whole or not at all: a temporary in the same folder
 * ({@code .NAME.rnn-DIGITS.tmp}, the {@value #MARKER} in it saying the platform made it), synced,
 * renamed over the target, then the folder synced so that the rename itself survives a power
 * cut. A crash leaves the old file or the new one and at worst a temporary that
 * {@link #isTemporary(String)} recognises; a file a user named like a temporary
 * ({@code .report.html.tmp}) is never taken for one. The rename replaces a symbolic link at the
 * target by the file: nothing is ever written through a link.
 */
public final class AtomicFile {
    /** What every temporary of the platform carries in its name, between the target's name and the digits. */
    public static final String MARKER = ".rnn-";

    private static final Pattern TEMPORARY = Pattern.compile("\\..+" + Pattern.quote(MARKER) + "[0-9]{1,20}\\.tmp");

    private AtomicFile() {}

    /** Produces a file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code target} from {@code body}; on any failure the target is as it was and no temporary is left. */
    public static void write(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new NoSuchFileException(target.toString(), null, "no parent folder");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileSystemException(target.toString(), null, "is a folder, not a file");
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + MARKER, ".tmp");
        try {
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // Results are meant to be shared: rw-r--r-- rather than the temp file's owner-only default.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.writeTo(os);
                os.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether {@code name} is a temporary this class made (of any target). */
    public static boolean isTemporary(String name) {
        return TEMPORARY.matcher(name).matches();
    }

    /** Whether {@code name} is a temporary this class made for a file named {@code target}. */
    public static boolean isTemporaryOf(String name, String target) {
        return isTemporary(name)
                && name.startsWith("." + target + MARKER)
                && name.substring(target.length() + 1 + MARKER.length()).matches("[0-9]{1,20}\\.tmp");
    }

    /** Makes a folder's entries (a rename, a new file) durable; a no-op where folders cannot be opened. */
    public static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform syncs a folder (Windows cannot open one); the file itself is synced.
        }
    }
}
