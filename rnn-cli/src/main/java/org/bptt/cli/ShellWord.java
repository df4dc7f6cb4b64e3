package org.bptt.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** A path or word as a POSIX shell reads it back: unchanged when plain, otherwise in single quotes. */
public final class ShellWord {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWord() {}

    public static String of(String word) {
        if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String of(Path path) {
        return of(path.toString());
    }
}
