/** The class a plugin's exit calls are rewritten to; not exported, copied into each plugin class loader. */
package org.bptt.training.plugin.trap;
