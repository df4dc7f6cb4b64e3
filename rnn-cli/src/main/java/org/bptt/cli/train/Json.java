package org.bptt.cli.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.bptt.api.plugin.ConfigurationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapper of the command line, and run configurations to and from files. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private Json() {}

    public static String write(RunConfig c) {
        try {
            return MAPPER.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunConfig parse(String json, String source) {
        try {
            return MAPPER.readValue(json, RunConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(source + ": not a valid run configuration (" + e.getOriginalMessage() + ")");
        }
    }

    public static RunConfig read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such configuration file");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
