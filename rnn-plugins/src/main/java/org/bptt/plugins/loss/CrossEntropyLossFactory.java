package org.bptt.plugins.loss;

import org.bptt.api.loss.Loss;
import org.bptt.api.loss.LossFactory;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;

/** {@code ce}: softmax cross-entropy on class targets. */
public final class CrossEntropyLossFactory implements LossFactory {
    @Override
    public String name() {
        return "ce";
    }

    @Override
    public String description() {
        return "softmax cross-entropy, -log softmax(o)[target]";
    }

    @Override
    public Loss create(PluginOptions options) {
        PluginOption.requireOnly(options);
        return new CrossEntropyLoss();
    }
}
