package org.bptt.api.truncation;

import org.bptt.api.plugin.PluginFactory;

/** ServiceLoader entry point of a truncation plugin. */
public interface TruncationFactory extends PluginFactory<Truncation> {}
