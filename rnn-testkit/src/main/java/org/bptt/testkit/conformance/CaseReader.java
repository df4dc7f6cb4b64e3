package org.bptt.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * Typed access to a case's JSON tree, failing with a {@link CaseFormatException} that names
 * the file and the field's path.
 */
final class CaseReader {
    private final String file;

    CaseReader(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    CaseFormatException error(String path, String problem) {
        return new CaseFormatException(file, path, problem);
    }

    JsonNode field(JsonNode parent, String parentPath, String name) {
        JsonNode n = parent.get(name);
        String path = parentPath.isEmpty() ? name : parentPath + "." + name;
        if (n == null || n.isNull()) {
            throw error(path, "is missing");
        }
        return n;
    }

    static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    double number(JsonNode n, String path) {
        if (n == null || !n.isNumber()) {
            throw error(path, "must be a number" + got(n));
        }
        return n.asDouble();
    }

    int integer(JsonNode n, String path) {
        if (n == null || !n.isIntegralNumber()) {
            throw error(path, "must be a whole number" + got(n));
        }
        return n.asInt();
    }

    String text(JsonNode n, String path) {
        if (n == null || !n.isTextual()) {
            throw error(path, "must be a string" + got(n));
        }
        return n.asText();
    }

    /** A list of numbers of the given length (or any length when expected < 0). */
    double[] vector(JsonNode n, String path, int expected) {
        if (n == null || !n.isArray()) {
            throw error(path, "must be a list of numbers" + got(n));
        }
        if (expected >= 0 && n.size() != expected) {
            throw error(path, "must have " + expected + " numbers, has " + n.size());
        }
        double[] v = new double[n.size()];
        int i = 0;
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); i++) {
            v[i] = number(it.next(), path + "[" + i + "]");
        }
        return v;
    }

    /** A rows×cols matrix as a list of rows, flattened row-major. */
    double[] matrix(JsonNode n, String path, int rows, int cols) {
        if (n == null || !n.isArray()) {
            throw error(path, "must be a " + rows + "x" + cols + " matrix (a list of rows)" + got(n));
        }
        if (n.size() != rows) {
            throw error(path, "must have " + rows + " rows, has " + n.size());
        }
        double[] m = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double[] row = vector(n.get(r), path + "[" + r + "]", cols);
            System.arraycopy(row, 0, m, r * cols, cols);
        }
        return m;
    }

    /** A nested list of d0×d1×d2 numbers, flattened. */
    double[] cube(JsonNode n, String path, int d0, int d1, int d2) {
        if (n == null || !n.isArray() || n.size() != d0) {
            throw error(path, "must be a list of " + d0 + " matrices of " + d1 + "x" + d2 + got(n));
        }
        double[] c = new double[d0 * d1 * d2];
        for (int i = 0; i < d0; i++) {
            double[] m = matrix(n.get(i), path + "[" + i + "]", d1, d2);
            System.arraycopy(m, 0, c, i * d1 * d2, d1 * d2);
        }
        return c;
    }

    /** A pair [from, to). */
    int[] range(JsonNode n, String path) {
        if (n == null || !n.isArray() || n.size() != 2) {
            throw error(path, "must be a pair [from, to)" + got(n));
        }
        return new int[] {integer(n.get(0), path + "[0]"), integer(n.get(1), path + "[1]")};
    }

    private static String got(JsonNode n) {
        if (n == null || n.isNull()) {
            return ", but it is missing";
        }
        String s = n.toString();
        return ", got " + (s.length() > 40 ? s.substring(0, 40) + "…" : s);
    }
}
