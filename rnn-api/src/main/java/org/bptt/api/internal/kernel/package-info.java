/**
 * The scalar loops that define the kernels' element-wise operations; exported only to the
 * platform's own modules, not part of the plugin API.
 */
package org.bptt.api.internal.kernel;
