/**
 * Vector API implementation of the kernels (not exported): register-blocked GEMM
 * micro-kernels, element-wise loops in Lucene's shape, and the worker pool that splits a
 * product over output blocks so results never depend on the thread count.
 */
package org.bptt.simd.internal;
