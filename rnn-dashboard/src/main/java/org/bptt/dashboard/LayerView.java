package org.bptt.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.training.run.LayerSnapshot;

/** What the page draws of a stacked or bidirectional run's per-layer diagnostics (layers.js). */
final class LayerView {
    private LayerView() {}

    /**
     * Null for a run of one layer; else the matrices' names, the diagnostic iterations, ρ(W) of
     * each matrix at each of them (null where it has no single W), and each layer's gradient flow
     * at the last one.
     */
    static Map<String, Object> of(List<LayerSnapshot> layers) {
        if (layers.isEmpty()) {
            return null;
        }
        LayerSnapshot last = layers.get(layers.size() - 1);
        int matrices = last.radius().length;
        List<Object> names = new ArrayList<>();
        List<List<Object>> radius = new ArrayList<>();
        for (int i = 0; i < matrices; i++) {
            names.add(last.matrixName(i));
            radius.add(new ArrayList<>());
        }
        List<Object> iterations = new ArrayList<>();
        for (LayerSnapshot s : layers) {
            iterations.add(s.iteration());
            double[] r = s.radius();
            for (int i = 0; i < matrices; i++) {
                radius.get(i).add(i < r.length ? finite(r[i]) : null);
            }
        }
        List<Object> flow = new ArrayList<>();
        for (double[] f : last.flow()) {
            List<Object> n = new ArrayList<>();
            for (double v : f) {
                n.add(finite(v));
            }
            flow.add(n);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("names", names);
        m.put("iteration", iterations);
        m.put("radius", radius);
        m.put("flow_iteration", last.iteration());
        m.put("flow", flow);
        return m;
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
