/** Built-in gradient policies: none, clip by global L2 norm, clip by value. */
package org.bptt.plugins.gradient;
