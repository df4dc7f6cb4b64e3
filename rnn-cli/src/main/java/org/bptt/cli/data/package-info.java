/** The commands that bring data and models in and take them out: import, predict, export. */
package org.bptt.cli.data;
