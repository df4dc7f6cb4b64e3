/**
 * File handling the platform's own modules share and plugins do not see (exported only to them):
 * the one atomic writer, and the checks that keep a run folder's files the platform's own.
 */
package org.bptt.api.internal.io;
