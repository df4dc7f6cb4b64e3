package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
import org.junit.jupiter.api.Test;

/**
 * The transcendental kernels give the same bits interpreted (-Xint) as JIT-compiled, so a
 * run's result never depends on when the compiler got to a kernel (resume = uninterrupted).
 */
final class TestDeterministicMath {

    /** tanh, sigmoid, softmax and the LSTM update of fixed inputs, as one long fingerprint of every output bit. */
    static long fingerprint() {
        Kernels k = Backends.select("simd", 1);
        SplittableRandom r = new SplittableRandom(5);
        int n = 4099;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 12 : 1.5));
        }
        x[0] = -0f;
        x[1] = 1e-9f;
        x[2] = -100f;
        x[3] = 95f;
        float[] t = new float[n];
        float[] s = new float[n];
        float[] p = new float[n - 3];
        k.activate(Activation.TANH, n, x, 0, t, 0);
        k.activate(Activation.SIGMOID, n, x, 0, s, 0);
        k.softmaxRows(64, (n - 3) / 64, x, 3, p, 0);
        // The LSTM update's tanh, vector body and scalar tail: 3 rows of 341, gates from the sigmoids above.
        int rows = 3, hc = 341;
        float[] state = new float[rows * 2 * hc];
        float[] tc = new float[rows * hc];
        k.lstmUpdate(rows, hc, s, 0, 4 * hc, x, 0, hc, state, hc, 2 * hc, tc, 0, hc, state, 0, 2 * hc);
        long h = 17;
        for (float[] a : List.of(t, s, p, state, tc)) {
            for (float v : a) {
                h = h * 31 + Float.floatToRawIntBits(v);
            }
        }
        return h;
    }

    public static void main(String[] args) {
        System.out.println(fingerprint());
    }

    @Test
    void interpretedAndCompiledResultsAreBitIdentical() throws IOException, InterruptedException {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        long compiled = 0;
        for (int i = 0; i < 300; i++) {
            compiled = fingerprint();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xint",
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TestDeterministicMath.class.getName())
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals(Long.toString(compiled), out, "interpreted bits differ from compiled ones");
    }
}
