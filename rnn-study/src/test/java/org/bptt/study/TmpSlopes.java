package org.bptt.study;
import java.util.*;
import org.bptt.api.data.Task;
import org.bptt.training.Network;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.run.RunConfig;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
final class TmpSlopes {
    static double slope(double[] norms, int skip) {
        int T = norms.length; double sx=0, sy=0, sxx=0, sxy=0; int n=0;
        for (int k = 0; k < T; k++) { int back = T - 1 - k; if (back < skip) continue; double y = Math.log(norms[k]); if (!Double.isFinite(y)) continue;
            sx += back; sy += y; sxx += (double) back*back; sxy += back*y; n++; }
        return (n*sxy - sx*sy) / (n*sxx - sx*sx);
    }
    @Test void print() {
        var plugins = Sweeps.PLUGINS;
        for (String act : List.of("linear")) {
            for (String init : List.of("spectral")) {
                for (double r : List.of(0.5, 0.9, 1.0, 1.1, 1.5)) {
                    StringBuilder b = new StringBuilder(act + " " + init + " " + r + ":");
                    for (int H : List.of(64)) for (int skip : List.of(0, 25, 50, 75)) {
                        double sum = 0;
                        for (long seed = 1; seed <= 3; seed++) {
                            RunConfig c = RunConfig.defaults().toBuilder().task(PluginChoice.of("adding").with("steps", "100")).hidden(H)
                                .cell(PluginChoice.of("vanilla").with("activation", act)).seed(seed)
                                .initializer(PluginChoice.of(init).with(init.equals("spectral") ? "radius" : "gain", Double.toString(r))).build();
                            Task t = plugins.create(PluginFamily.TASK, c.task());
                            Network n = Network.create(c, t, plugins);
                            sum += slope(n.gradientFlow(t).hiddenGradNorms(), skip);
                        }
                        b.append(String.format(Locale.ROOT, " H%d/s%d %.4f", H, skip, sum / 3));
                    }
                    System.out.println(b + "   ln=" + String.format(Locale.ROOT, "%.4f", Math.log(r)));
                }
            }
        }
    }
}
