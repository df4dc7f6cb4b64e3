/** The built-in vanilla (Elman) cell. */
package org.bptt.plugins.cell;
