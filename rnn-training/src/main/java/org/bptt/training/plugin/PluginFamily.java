package org.bptt.training.plugin;

import org.bptt.api.cell.CellFactory;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.loss.LossFactory;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.schedule.ScheduleFactory;
import org.bptt.api.truncation.TruncationFactory;

/** The kinds of plugin the platform loads, each with its ServiceLoader interface, in display order. */
public enum PluginFamily {
    CELL("cell", "cells", CellFactory.class),
    LOSS("loss", "losses", LossFactory.class),
    OPTIMIZER("optimizer", "optimizers", OptimizerFactory.class),
    POLICY("gradient policy", "gradient policies", GradientPolicyFactory.class),
    TRUNCATION("truncation", "truncations", TruncationFactory.class),
    INITIALIZER("initializer", "initializers", InitializerFactory.class),
    SCHEDULE("schedule", "schedules", ScheduleFactory.class),
    TASK("task", "tasks", TaskFactory.class);

    private final String singular;
    private final String plural;
    private final Class<? extends PluginFactory<?>> type;

    PluginFamily(String singular, String plural, Class<? extends PluginFactory<?>> type) {
        this.singular = singular;
        this.plural = plural;
        this.type = type;
    }

    /** "gradient policy". */
    public String singular() {
        return singular;
    }
    /** "gradient policies". */
    public String plural() {
        return plural;
    }
    /** The factory interface providers implement. */
    public Class<? extends PluginFactory<?>> type() {
        return type;
    }
}
