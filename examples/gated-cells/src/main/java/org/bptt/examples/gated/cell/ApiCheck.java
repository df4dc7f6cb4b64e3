package org.bptt.examples.gated.cell;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;

/**
 * The cells call Kernels methods that older releases of the SPI lack. Checked when a cell is
 * created, so that such a platform refuses the plugin by name with one sentence rather than
 * failing with NoSuchMethodError in the middle of the first training step. (The cells also call
 * CellContext.requireDeclaredShapes, of the same release: the kernels' check covers it.)
 */
final class ApiCheck {
    private ApiCheck() {}

    static void requireKernels(String plugin, String... methods) {
        Set<String> missing = new TreeSet<>(Set.of(methods));
        for (Method m : Kernels.class.getMethods()) {
            missing.remove(m.getName());
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(plugin + ": this platform's rnn-api lacks Kernels." + String.join(", Kernels.", missing)
                    + " (the element-wise operations of gated cells); the " + plugin + " plugin needs a newer platform");
        }
    }
}
