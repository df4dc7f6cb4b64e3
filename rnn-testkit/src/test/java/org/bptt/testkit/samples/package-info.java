/**
 * Plugins written for the kit's own tests: a correct one per family, and each of them broken
 * on purpose in one way (a {@code Flaw}) to prove that the intended contract check catches it.
 */
package org.bptt.testkit.samples;
