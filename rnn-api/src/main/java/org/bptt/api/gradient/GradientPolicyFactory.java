package org.bptt.api.gradient;

import org.bptt.api.plugin.PluginFactory;

/** ServiceLoader entry point of a gradient-policy plugin. */
public interface GradientPolicyFactory extends PluginFactory<GradientPolicy> {}
