package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bptt.api.truncation.Truncation;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.api.truncation.TruncationFactory;
import org.bptt.testkit.ContractSettings;

/**
 * The truncation contract: for every sequence length the windows' loss ranges partition
 * [0, T) in order, each backprop range contains its loss range and ends where it ends, and
 * the same length always gives the same windows (the trainer keeps the list it gets).
 */
public final class TruncationSuite {
    public static final String OPTIONS = OptionChecks.NAME;
    public static final String PARTITION = "windows-partition-the-sequence";
    public static final String STABLE = "same-windows-every-call";

    private static final int[] LENGTHS = lengths();

    private final TruncationFactory factory;
    private final Map<String, String> options;
    private final ContractSettings settings;

    public TruncationSuite(TruncationFactory factory, Map<String, String> options, ContractSettings settings) {
        this.factory = factory;
        this.options = Map.copyOf(options);
        this.settings = settings;
    }

    private static int[] lengths() {
        int[] l = new int[66];
        for (int i = 0; i < 64; i++) {
            l[i] = i + 1;
        }
        l[64] = 101;
        l[65] = 1000;
        return l;
    }

    public List<Check> checks() {
        return List.of(
                new Check(OPTIONS, () -> OptionChecks.run(factory, options, settings, Truncation::describe)),
                new Check(PARTITION, this::partition),
                new Check(STABLE, this::stable));
    }

    private Truncation newTruncation() {
        return OptionChecks.create(factory, options);
    }

    private String partition() {
        Truncation t = newTruncation();
        int windows = 0;
        for (int steps : LENGTHS) {
            List<Window> w = t.windows(steps);
            if (w == null || w.isEmpty()) {
                throw Check.fail("windows(" + steps + ") is " + (w == null ? "null" : "empty"));
            }
            int next = 0;
            for (Window x : w) {
                if (x == null) {
                    throw Check.fail("windows(" + steps + ") holds a null window");
                }
                if (x.lossFrom() != next) {
                    throw Check.fail("windows(" + steps + "): " + describe(x) + " follows losses that end at " + next
                            + "; the loss ranges must partition [0, " + steps + ") in order");
                }
                next = x.lossTo();
            }
            if (next != steps) {
                throw Check.fail("windows(" + steps + "): the loss ranges end at " + next + ", not at " + steps
                        + "; the losses of steps [" + next + ", " + steps + ") are never back-propagated");
            }
            windows += w.size();
        }
        return "for every T in 1…64, 101 and 1000 the loss ranges partition [0, T) in order (" + windows + " windows)";
    }

    private static String describe(Window w) {
        return "the window of losses [" + w.lossFrom() + ", " + w.lossTo() + ") through [" + w.backFrom() + ", "
                + w.backTo() + ")";
    }

    private String stable() {
        Truncation a = newTruncation();
        Truncation b = newTruncation();
        List<List<Window>> returned = new ArrayList<>();
        List<List<Window>> copies = new ArrayList<>();
        for (int steps : LENGTHS) {
            List<Window> w = a.windows(steps);
            returned.add(w);
            copies.add(List.copyOf(w));
        }
        // the trainer keeps the list it gets for as long as the sequence length stays the same
        for (int i = 0; i < LENGTHS.length; i++) {
            if (!copies.get(i).equals(returned.get(i))) {
                throw Check.fail("the list windows(" + LENGTHS[i] + ") returned changed when windows was called again"
                        + " for other lengths: " + copies.get(i) + " became " + returned.get(i)
                        + "; return a new or unmodifiable list");
            }
        }
        for (List<Window> w : returned) {
            try {
                w.clear(); // the trainer never does; a list the truncation keeps must not suffer from it
            } catch (UnsupportedOperationException e) {
                // an unmodifiable list: fine
            }
        }
        for (int round = 0; round < 2; round++) {
            for (int i = LENGTHS.length - 1; i >= 0; i--) {
                Truncation t = round == 0 ? a : b;
                List<Window> again = t.windows(LENGTHS[i]);
                if (!copies.get(i).equals(again)) {
                    throw Check.fail("windows(" + LENGTHS[i] + ") gave " + copies.get(i) + " at first and " + again
                            + (round == 0 ? " later from the same instance" : " from another instance")
                            + "; windows must depend on T alone");
                }
            }
        }
        return "the same windows for each T from the same instance (in any call order, after a caller cleared a returned"
                + " list) and from another instance; returned lists never change afterwards";
    }
}
