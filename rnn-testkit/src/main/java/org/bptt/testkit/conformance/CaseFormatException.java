package org.bptt.testkit.conformance;

import org.bptt.api.plugin.ConfigurationException;

/** A reference case file that does not follow the format: names the file and the field. */
public final class CaseFormatException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public CaseFormatException(String file, String field, String problem) {
        super(file + ": field '" + field + "' " + problem);
    }
}
