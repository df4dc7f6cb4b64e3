package org.bptt.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import org.bptt.api.kernel.Kernels;
import org.bptt.simd.SimdKernelsProvider;
import org.bptt.simd.SimdSettings;
import org.bptt.simd.SimdTuner;
import org.bptt.simd.SimdTuning;

/**
 * What a benchmark figure needs beside it: the CPU, the peak it is measured against, the
 * kernels' settings and whether they were tuned, and how busy the machine was.
 */
final class MachineFacts {
    private MachineFacts() {}

    /** The system load average over the last minute, or NaN where the OS does not say. */
    static double loadAverage() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? Double.NaN : l;
    }

    /**
     * Adds cpu, peak_gflops_per_core, peak_gflops, fraction_of_peak, kernel_settings, tuning,
     * load_before and load_after to a bench result.
     *
     * @param gflops achieved GFLOP/s
     * @param noPeak skip measuring the peak (fields then null)
     */
    static void put(ObjectNode o, Kernels kernels, double gflops, int threads, boolean noPeak, double loadBefore) {
        o.put("cpu", SimdTuning.cpuModel());
        double perCore = Double.NaN;
        if (!noPeak && SimdKernelsProvider.vectorApiPresent()) {
            perCore = SimdTuner.measureFmaPeak(60);
        }
        if (Double.isFinite(perCore)) {
            o.put("peak_gflops_per_core", perCore);
            o.put("peak_gflops", perCore * threads);
            o.put("fraction_of_peak", gflops / (perCore * threads));
        } else {
            o.putNull("peak_gflops_per_core");
            o.putNull("peak_gflops");
            o.putNull("fraction_of_peak");
        }
        SimdSettings s = SimdKernelsProvider.settingsOf(kernels);
        if (s != null) {
            o.put("kernel_settings", s.describe());
            o.put("tuning", SimdTuning.active(kernels.vectorBitSize()).source());
        } else {
            o.putNull("kernel_settings");
            o.putNull("tuning");
        }
        o.put("load_before", loadBefore);
        o.put("load_after", loadAverage());
    }
}
