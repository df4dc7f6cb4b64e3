/** The learning-rate schedule SPI: a factor on the optimizer's learning rate per iteration. */
package org.bptt.api.schedule;
