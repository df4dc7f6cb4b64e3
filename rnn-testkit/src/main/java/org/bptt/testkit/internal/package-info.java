/**
 * The checks behind the contracts: one suite per plugin family, the kit's own reference
 * readout and loss, finite differences, allocation measurement. Not exported.
 */
package org.bptt.testkit.internal;
