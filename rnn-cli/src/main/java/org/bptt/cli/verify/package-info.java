/** Conformance: reads reference cases (../shared/golden format) and checks every field against the platform. */
package org.bptt.cli.verify;
