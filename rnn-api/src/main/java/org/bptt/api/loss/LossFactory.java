package org.bptt.api.loss;

import org.bptt.api.plugin.PluginFactory;

/** ServiceLoader entry point of a loss plugin. */
public interface LossFactory extends PluginFactory<Loss> {}
