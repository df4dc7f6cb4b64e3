/**
 * Conformance against reference cases (golden/README.md format): {@link org.bptt.testkit.conformance.Conformance}
 * checks every field of a case against the platform and its plugins; {@code rnn verify} and plugin
 * authors' JUnit tests ({@link org.bptt.testkit.conformance.Conformance#tests}) call the same code.
 */
package org.bptt.testkit.conformance;
