/** Contract tests for plugin authors. */
package org.bptt.testkit;
