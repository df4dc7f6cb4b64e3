/** Conformance: reads reference cases (golden/README.md format) and checks every field against the platform. */
package org.bptt.cli.verify;
