package org.bptt.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A misspelt field of a run configuration is answered with the field meant, in one short sentence. */
final class TestUnknownFields {
    private static final List<String> KNOWN =
            RunSettings.all().stream().map(RunSetting::key).toList();

    @Test
    void aFieldWithinTwoEditsIsNamed() {
        assertEquals("did you mean 'iterations'?", RunConfig.accepted("itesations", KNOWN));
        assertEquals("did you mean 'hidden'?", RunConfig.accepted("Hiden", KNOWN));
        assertEquals("did you mean 'earlyStop'?", RunConfig.accepted("early_stop", KNOWN));
    }

    @Test
    void aFieldNearNothingIsToldWhereTheFieldsAre() {
        assertEquals(
                "the " + KNOWN.size() + " accepted fields are those of the config.json a run writes",
                RunConfig.accepted("task_extra", KNOWN));
    }
}
