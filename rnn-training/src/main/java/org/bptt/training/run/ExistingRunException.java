package org.bptt.training.run;

import java.nio.file.Path;
import org.bptt.api.plugin.ConfigurationException;

/** A new run was asked for in a folder that already holds one; front ends say how to continue it. */
public final class ExistingRunException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final transient Path folder;

    public ExistingRunException(Path folder) {
        super("the output folder " + folder + " already holds a run; continue that run, or choose another folder");
        this.folder = folder;
    }

    /** The folder that holds the run. */
    public Path folder() {
        return folder;
    }
}
