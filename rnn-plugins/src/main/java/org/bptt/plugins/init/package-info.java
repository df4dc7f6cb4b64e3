/** Built-in initializers: Xavier/Glorot, orthogonal, identity (IRNN), spectral radius ρ, uniform. */
package org.bptt.plugins.init;
