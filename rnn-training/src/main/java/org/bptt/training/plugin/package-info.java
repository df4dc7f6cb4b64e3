/**
 * Plugins from the class path and from plugin folders: one class loader per outside plugin
 * with the platform's API shared, origins and versions, checked options, failures named.
 */
package org.bptt.training.plugin;
