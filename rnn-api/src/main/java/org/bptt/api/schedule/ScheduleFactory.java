package org.bptt.api.schedule;

import org.bptt.api.plugin.PluginFactory;

/** ServiceLoader entry point of a learning-rate schedule plugin. */
public interface ScheduleFactory extends PluginFactory<Schedule> {}
