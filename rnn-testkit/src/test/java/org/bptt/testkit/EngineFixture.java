package org.bptt.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that {@link TestJUnitBases} runs through JUnit's EngineTestKit (some of
 * them fail on purpose): disabled unless that run sets {@value #PARAMETER}, so that an IDE or a
 * broad {@code -Dtest} pattern finding the class runs nothing.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EngineFixture.Condition.class)
@interface EngineFixture {
    String PARAMETER = "org.bptt.testkit.engine-fixtures";

    /** Enables the class only under the configuration parameter. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by TestJUnitBases")
                    : ConditionEvaluationResult.disabled("a fixture of TestJUnitBases, run only through it");
        }
    }
}
