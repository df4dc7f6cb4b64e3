package org.bptt.data;

import java.nio.file.Path;
import org.bptt.api.plugin.ConfigurationException;

/** A data or model file that cannot be used: one sentence naming the file and what is wrong with it. */
public class DataFileException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public DataFileException(Path file, String what) {
        super(file + ": " + what);
    }

    public DataFileException(String where, String what) {
        super(where + ": " + what);
    }
}
