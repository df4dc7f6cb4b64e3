package org.bptt.simd.internal;

/** The running JVM's value of a HotSpot option (the tuning cache's UseAVX, the arrays' alignment). */
public final class VmOption {
    private VmOption() {}

    /** The option's value as HotSpot prints it, or "" when it cannot be read (not HotSpot, no management module). */
    public static String value(String name) {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? "" : bean.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }
}
