package org.bptt.training.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bptt.api.plugin.ConfigurationException;

/**
 * The platform's one strict JSON mapper, and run configurations to and from files. Strict: an
 * unknown or duplicate key, a missing field, a fraction where a whole number belongs, a null,
 * or anything after the document is refused with one sentence naming the file and the field.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        // "16.7" must not become 16, nor "true" become 1: integers are integers.
        MAPPER.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(100)
                        .build());
    }

    /** The largest configuration or history file read (a history of a million iterations is about 250 MB). */
    static final long MAX_TEXT_BYTES = 1L << 30;

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunConfig parse(String json, String source) {
        try {
            return RunConfig.fromJson(MAPPER.readValue(json, JsonNode.class));
        } catch (ConfigurationException e) {
            throw new ConfigurationException(source + ": " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(source + ": " + describe(e, "run configuration"));
        }
    }

    public static RunConfig read(Path file) {
        return parse(readText(file, "configuration file"), file.toString());
    }

    /** A UTF-8 text file, refused with one sentence when it is missing, unreadable or not UTF-8. */
    public static String readText(Path file, String what) {
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigurationException(file + ": is a folder, not a " + what);
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ConfigurationException(file + ": is not a regular file, so not a " + what);
            }
            if (Files.exists(file) && Files.size(file) > MAX_TEXT_BYTES) {
                throw new ConfigurationException(file + ": the " + what + " is larger than " + (MAX_TEXT_BYTES >> 20)
                        + " MB, far more than any rnn file of this kind");
            }
            byte[] bytes = Files.readAllBytes(file);
            // A byte-order mark, as some editors write, is no part of the text.
            int bom = bytes.length >= 3
                            && (bytes[0] & 0xFF) == 0xEF
                            && (bytes[1] & 0xFF) == 0xBB
                            && (bytes[2] & 0xFF) == 0xBF
                    ? 3
                    : 0;
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, bom, bytes.length - bom))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such " + what);
        } catch (CharacterCodingException e) {
            throw new ConfigurationException(file + ": the " + what + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": the " + what + " cannot be read (" + ioReason(e) + ")");
        } catch (OutOfMemoryError e) {
            // Under the size limit above, so the heap is what ran out: the JVM's failure, not the input's (exit 1).
            throw new RunFailure(file + ": reading the " + what + " exhausted this JVM's memory", e);
        }
    }

    /** A Jackson failure in the user's terms: what is wrong and at which field, without Jackson's internals. */
    public static String describe(JsonProcessingException e, String what) {
        String field = e instanceof JsonMappingException m ? fieldPath(m) : "";
        String at = field.isEmpty() ? "" : " at field '" + field + "'";
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'"
                    + (fieldPathWithout(u).isEmpty() ? "" : " in '" + fieldPathWithout(u) + "'") + " in the " + what
                    + "; accepted: " + u.getKnownPropertyIds();
        }
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (msg.startsWith("Missing required creator property")) {
            return "the " + what + " lacks the field '" + field + "'";
        }
        if (msg.contains("Duplicate field")) {
            return "a field appears twice in the " + what + " (" + firstSentence(msg) + ")";
        }
        if (msg.contains("Trailing token")) {
            return "there is more after the end of the " + what + " (only one JSON object is allowed)";
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            Class<?> t = mi.getTargetType();
            String expected = t == int.class || t == long.class || t == Integer.class || t == Long.class
                    ? "a whole number"
                    : t == boolean.class || t == Boolean.class
                            ? "true or false"
                            : t == double.class || t == Double.class
                                    ? "a number"
                                    : t == String.class
                                            ? "a string"
                                            : "a JSON " + (t.isRecord() ? "object" : t.getSimpleName());
            if (msg.contains("null")) {
                return "the field '" + field + "' of the " + what + " must be " + expected + ", not null";
            }
            return "the field '" + field + "' of the " + what + " must be " + expected;
        }
        String problem = syntaxProblem(msg);
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            return "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + (problem.isEmpty() ? "" : " (" + problem + ")") + at;
        }
        return "not a valid " + what + (problem.isEmpty() ? "" : " (" + problem + ")") + at;
    }

    /** Jackson's syntax errors in a few plain words; empty for one without a plain name. */
    private static String syntaxProblem(String msg) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Unexpected character \\('(.+?)' \\(code \\d+")
                .matcher(msg);
        if (m.find()) {
            String c = m.group(1);
            return "unexpected character " + (c.codePointAt(0) < 0x20 ? "(a control character)" : "'" + c + "'");
        }
        m = java.util.regex.Pattern.compile("^Unrecognized token '(.{0,40})").matcher(msg);
        if (m.find()) {
            return "unexpected word '" + m.group(1) + "'";
        }
        if (msg.startsWith("Unexpected end-of-input")) {
            return "the text ends before the JSON does";
        }
        if (msg.contains("nesting depth")) {
            return "nested more than 64 levels deep";
        }
        if (msg.startsWith("String value length")) {
            return "a string longer than 1 MB";
        }
        if (msg.startsWith("Number value length")) {
            return "a number of more than 100 digits";
        }
        if (msg.contains("out of range")) {
            return "a number out of range";
        }
        if (msg.contains("Leading zeroes")) {
            return "a number with a leading zero";
        }
        if (msg.contains("Invalid UTF-8") || msg.contains("Invalid UTF8")) {
            return "not UTF-8";
        }
        if (msg.contains("Illegal unquoted character") || msg.contains("Illegal character")) {
            return "a control character inside a string";
        }
        if (msg.startsWith("Unexpected close marker") || msg.startsWith("Unexpected end")) {
            return "unbalanced brackets";
        }
        if (msg.contains("was expecting comma")
                || msg.contains("was expecting a colon")
                || msg.contains("was expecting double-quote")) {
            return "a missing comma, colon or quote";
        }
        return "";
    }

    private static String fieldPath(JsonMappingException m) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String fieldPathWithout(UnrecognizedPropertyException u) {
        String p = fieldPath(u);
        int dot = p.lastIndexOf('.');
        return dot < 0 ? "" : p.substring(0, dot);
    }

    private static String firstSentence(String msg) {
        String m = msg.replaceAll("\\s+", " ").strip();
        int cut = m.indexOf(" at [Source");
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        return m.length() > 120 ? m.substring(0, 117) + "…" : m;
    }

    /** An I/O failure in a few words: "No space left on device", "permission denied (FILE)". */
    public static String ioReason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + (a.getFile() == null ? "" : " (" + a.getFile() + ")");
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder" + (n.getFile() == null ? "" : " (" + n.getFile() + ")");
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
