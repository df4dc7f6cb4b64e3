package org.bptt.api.data;

import org.bptt.api.plugin.PluginFactory;

/**
 * ServiceLoader entry point of a task plugin. Common options: {@code steps} (T); a text task
 * takes {@code text} (a path to a UTF-8 file).
 */
public interface TaskFactory extends PluginFactory<Task> {}
