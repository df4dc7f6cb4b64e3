/** {@code rnn verify}: prints what the test kit's conformance check (org.bptt.testkit.conformance) finds in reference cases. */
package org.bptt.cli.verify;
