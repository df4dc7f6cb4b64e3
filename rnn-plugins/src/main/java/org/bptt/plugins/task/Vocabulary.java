package org.bptt.plugins.task;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A bijection between class indices and Unicode code points, for character-level models:
 * {@link #of(CharSequence)} numbers a text's distinct code points in ascending order (the
 * text task's classes), and {@link #ofSymbols(List)} rebuilds the mapping from a
 * {@link org.bptt.api.data.Task#vocabulary()} list (e.g. one read from a checkpoint) so that
 * a sampler can encode a prompt and decode what it draws. Immutable and thread-safe.
 */
public final class Vocabulary {
    /** Code points in ascending order, for binary search. */
    private final int[] sorted;
    /** {@code indexOfSorted[k]}: the class index of {@code sorted[k]}. */
    private final int[] indexOfSorted;
    /** {@code codePoints[i]}: the code point of class i. */
    private final int[] codePoints;

    private final List<String> symbols;

    private Vocabulary(int[] codePoints) {
        this.codePoints = codePoints;
        int n = codePoints.length;
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) {
            keyed[i] = ((long) codePoints[i] << 32) | i;
        }
        Arrays.sort(keyed);
        this.sorted = new int[n];
        this.indexOfSorted = new int[n];
        for (int k = 0; k < n; k++) {
            sorted[k] = (int) (keyed[k] >>> 32);
            indexOfSorted[k] = (int) keyed[k];
            if (k > 0 && sorted[k] == sorted[k - 1]) {
                throw new IllegalArgumentException("vocabulary lists " + describe(sorted[k]) + " twice");
            }
        }
        List<String> list = new ArrayList<>(n);
        for (int cp : codePoints) {
            list.add(Character.toString(cp));
        }
        this.symbols = Collections.unmodifiableList(list);
    }

    /** The distinct code points of {@code text}, class i being the i-th smallest. */
    public static Vocabulary of(CharSequence text) {
        requireNonNull(text, "text is null");
        return new Vocabulary(text.codePoints().sorted().distinct().toArray());
    }

    /**
     * The vocabulary whose class i is {@code symbols.get(i)}; each symbol must be exactly one
     * code point and none may repeat.
     */
    public static Vocabulary ofSymbols(List<String> symbols) {
        requireNonNull(symbols, "symbols is null");
        int[] cps = new int[symbols.size()];
        for (int i = 0; i < cps.length; i++) {
            String s = requireNonNull(symbols.get(i), "symbol " + i + " is null");
            if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
                throw new IllegalArgumentException("symbol " + i + " must be exactly one character, got \"" + s + "\"");
            }
            cps[i] = s.codePointAt(0);
        }
        return new Vocabulary(cps);
    }

    /** Number of classes. */
    public int size() {
        return codePoints.length;
    }

    /** The code point of class {@code index}. */
    public int codePoint(int index) {
        return codePoints[index];
    }

    /** The symbol of class {@code index}, as a one-code-point string. */
    public String symbol(int index) {
        return symbols.get(index);
    }

    /** Class index → symbol, unmodifiable; the form {@link org.bptt.api.data.Task#vocabulary()} returns. */
    public List<String> symbols() {
        return symbols;
    }

    /** The class of {@code codePoint}, or −1 if it is not in the vocabulary. Does not allocate. */
    public int indexOf(int codePoint) {
        int k = Arrays.binarySearch(sorted, codePoint);
        return k < 0 ? -1 : indexOfSorted[k];
    }

    public boolean contains(int codePoint) {
        return indexOf(codePoint) >= 0;
    }

    /**
     * The class indices of {@code text}'s code points.
     *
     * @throws IllegalArgumentException naming the first character that is not in the vocabulary
     */
    public int[] encode(CharSequence text) {
        requireNonNull(text, "text is null");
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = indexOf(cps[i]);
            if (c < 0) {
                throw new IllegalArgumentException("character " + describe(cps[i]) + " at position " + i
                        + " is not in the vocabulary of " + size() + " symbols");
            }
            cps[i] = c;
        }
        return cps;
    }

    /** The text of class indices {@code indices}. */
    public String decode(int[] indices) {
        requireNonNull(indices, "indices is null");
        StringBuilder sb = new StringBuilder(indices.length);
        for (int i : indices) {
            append(sb, i);
        }
        return sb.toString();
    }

    /** Appends the symbol of class {@code index} to {@code out} (modified), for sampling one step at a time. */
    public StringBuilder append(StringBuilder out, int index) {
        if (index < 0 || index >= codePoints.length) {
            throw new IndexOutOfBoundsException(
                    "class " + index + " is outside the vocabulary of " + size() + " symbols");
        }
        return out.appendCodePoint(codePoints[index]);
    }

    /** {@code 'x'} or {@code U+000A} for a character that does not print. */
    static String describe(int codePoint) {
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint) || !Character.isDefined(codePoint)
                ? String.format("U+%04X", codePoint)
                : "'" + Character.toString(codePoint) + "'";
    }

    @Override
    public String toString() {
        return "Vocabulary(" + size() + " symbols)";
    }
}
