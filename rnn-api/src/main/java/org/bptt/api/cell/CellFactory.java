package org.bptt.api.cell;

import org.bptt.api.plugin.PluginFactory;

/**
 * The ServiceLoader entry point of a cell plugin (register in
 * {@code META-INF/services/org.bptt.api.cell.CellFactory} and with {@code provides} in
 * module-info). Options come from the user, e.g. {@code activation=relu}.
 */
public interface CellFactory extends PluginFactory<Cell> {}
