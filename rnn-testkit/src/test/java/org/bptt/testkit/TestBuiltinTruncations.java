package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.truncation.TruncationFactory;
import org.junit.jupiter.api.Nested;

/** The built-in truncations against the truncation contract. */
final class TestBuiltinTruncations {

    @Nested
    final class Full extends TruncationContract {
        @Override
        protected TruncationFactory factory() {
            return Builtins.load(TruncationFactory.class, "full");
        }
    }

    /** TBPTT with overlapping windows; k1 = 1 and k1 = k2 would be the other corners. */
    @Nested
    final class Tbptt extends TruncationContract {
        @Override
        protected TruncationFactory factory() {
            return Builtins.load(TruncationFactory.class, "tbptt");
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("k1", "3", "k2", "7");
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("k1", "0"), Map.of("k1", "5", "k2", "3"));
        }
    }

    @Nested
    final class TbpttEveryStep extends TruncationContract {
        @Override
        protected TruncationFactory factory() {
            return Builtins.load(TruncationFactory.class, "tbptt");
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("k1", "1", "k2", "1");
        }
    }
}
