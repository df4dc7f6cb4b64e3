/** What every plugin family shares: named factories, their options, and lookup by name. */
package org.bptt.api.plugin;
