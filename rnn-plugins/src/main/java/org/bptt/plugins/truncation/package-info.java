/** Built-in truncations: full BPTT and Williams & Peng TBPTT(k1, k2). */
package org.bptt.plugins.truncation;
