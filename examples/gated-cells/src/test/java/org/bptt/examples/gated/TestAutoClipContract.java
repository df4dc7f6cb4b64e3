package org.bptt.examples.gated;

import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.examples.gated.policy.AutoClipFactory;
import org.bptt.testkit.GradientPolicyContract;

/** The platform's gradient-policy contract (rnn-testkit), run on autoclip, its checkpointed history included. */
final class TestAutoClipContract extends GradientPolicyContract {
    @Override
    protected GradientPolicyFactory factory() {
        return new AutoClipFactory();
    }
}
