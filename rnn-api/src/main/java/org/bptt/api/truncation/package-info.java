/** The truncation SPI: which steps' losses are back-propagated through which steps. */
package org.bptt.api.truncation;
