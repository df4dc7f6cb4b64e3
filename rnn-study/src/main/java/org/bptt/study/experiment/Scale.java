package org.bptt.study.experiment;

import java.util.Locale;
import org.bptt.api.plugin.ConfigurationException;

/** How big an experiment is: minutes on two cores, or the budget of the paper it reproduces. */
public enum Scale {
    /** At most about ten minutes on two cores. */
    DEFAULT,
    /** The paper's sizes and budget: hours to days. */
    PAPER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scale parse(String s) {
        for (Scale x : values()) {
            if (x.id().equals(s)) {
                return x;
            }
        }
        throw new ConfigurationException("the scale must be default or paper, got '" + s + "'");
    }
}
