/** The initializer SPI: fills parameters before training, by role. */
package org.bptt.api.init;
