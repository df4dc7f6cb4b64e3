package org.bptt.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.bptt.api.internal.io.AtomicFile;

/**
 * The platform's atomic writer ({@link AtomicFile}) with the report's error message: one sentence
 * naming what was written, where, and why it failed (the temporary's name left out).
 */
final class AtomicWrite {

    /** Produces the file's bytes. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicWrite() {}

    /**
     * @param file the target file; its folder must exist
     * @param what what is being written, for the error message (e.g. "report")
     * @throws IOException naming the target and the cause when anything goes wrong
     */
    static void write(Path file, String what, Body body) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        try {
            AtomicFile.write(target, body::writeTo);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot write " + what + " to " + target + ": " + describe(e), e);
        }
    }

    /** The cause in words; the temp file's name is left out, it means nothing to the user and is gone. */
    private static String describe(Exception e) {
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
            boolean aboutTmp = f.getFile() != null
                    && AtomicFile.isTemporary(Path.of(f.getFile()).getFileName().toString());
            return f.getReason() + (aboutTmp || f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
