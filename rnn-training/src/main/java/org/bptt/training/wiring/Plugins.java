package org.bptt.training.wiring;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bptt.api.cell.CellFactory;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.loss.LossFactory;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginRegistry;
import org.bptt.api.truncation.TruncationFactory;

import com.google.inject.Guice;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Every plugin family by name, as the injector's map binders hold them. */
@Singleton
public final class Plugins {
    private final PluginRegistry<CellFactory> cells;
    private final PluginRegistry<LossFactory> losses;
    private final PluginRegistry<OptimizerFactory> optimizers;
    private final PluginRegistry<GradientPolicyFactory> policies;
    private final PluginRegistry<TruncationFactory> truncations;
    private final PluginRegistry<InitializerFactory> initializers;
    private final PluginRegistry<TaskFactory> tasks;

    @Inject
    public Plugins(Map<String, CellFactory> cells, Map<String, LossFactory> losses,
                   Map<String, OptimizerFactory> optimizers, Map<String, GradientPolicyFactory> policies,
                   Map<String, TruncationFactory> truncations, Map<String, InitializerFactory> initializers,
                   Map<String, TaskFactory> tasks) {
        this.cells = PluginRegistry.of("cell", cells);
        this.losses = PluginRegistry.of("loss", losses);
        this.optimizers = PluginRegistry.of("optimizer", optimizers);
        this.policies = PluginRegistry.of("gradient policy", policies);
        this.truncations = PluginRegistry.of("truncation", truncations);
        this.initializers = PluginRegistry.of("initializer", initializers);
        this.tasks = PluginRegistry.of("task", tasks);
    }

    /** The plugins on this class path, without a trainer. */
    public static Plugins discover() {
        return Guice.createInjector(new PluginFamiliesModule()).getInstance(Plugins.class);
    }

    public PluginRegistry<CellFactory> cells() { return cells; }
    public PluginRegistry<LossFactory> losses() { return losses; }
    public PluginRegistry<OptimizerFactory> optimizers() { return optimizers; }
    public PluginRegistry<GradientPolicyFactory> policies() { return policies; }
    public PluginRegistry<TruncationFactory> truncations() { return truncations; }
    public PluginRegistry<InitializerFactory> initializers() { return initializers; }
    public PluginRegistry<TaskFactory> tasks() { return tasks; }

    /** All families in display order, for {@code rnn plugins}. */
    public Map<String, PluginRegistry<? extends PluginFactory<?>>> families() {
        Map<String, PluginRegistry<? extends PluginFactory<?>>> m = new LinkedHashMap<>();
        m.put("cells", cells);
        m.put("losses", losses);
        m.put("optimizers", optimizers);
        m.put("gradient policies", policies);
        m.put("truncations", truncations);
        m.put("initializers", initializers);
        m.put("tasks", tasks);
        return m;
    }
}
