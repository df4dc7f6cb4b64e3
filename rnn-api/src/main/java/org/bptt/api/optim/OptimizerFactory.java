package org.bptt.api.optim;

import org.bptt.api.plugin.PluginFactory;

/** ServiceLoader entry point of an optimizer plugin. */
public interface OptimizerFactory extends PluginFactory<Optimizer> {}
