package org.bptt.plugins.loss;

import org.bptt.api.loss.Loss;
import org.bptt.api.loss.LossFactory;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;

/** {@code mse}: ½‖o − t‖² on vector targets. */
public final class MseLossFactory implements LossFactory {
    @Override
    public String name() {
        return "mse";
    }

    @Override
    public String description() {
        return "squared error 0.5*||o - t||^2";
    }

    @Override
    public Loss create(PluginOptions options) {
        PluginOption.requireOnly(options);
        return new MseLoss();
    }
}
