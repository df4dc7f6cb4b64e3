package org.bptt.api.init;

import org.bptt.api.plugin.PluginFactory;

/** ServiceLoader entry point of an initializer plugin. */
public interface InitializerFactory extends PluginFactory<Initializer> {}
