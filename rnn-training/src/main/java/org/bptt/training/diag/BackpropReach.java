package org.bptt.training.diag;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.bptt.api.truncation.Truncation;
import org.bptt.api.truncation.Truncation.Window;

/**
 * How far back training's backward passes reach over a sequence, beside how far back the task's
 * targets depend on their inputs: the facts a page needs to show truncation, computed once here
 * from the truncation's own windows (a page names no truncation plugin).
 *
 * @param truncation  the truncation in words, e.g. {@code tbptt(k1=5, k2=15)}
 * @param steps       T, the steps of one sequence
 * @param windows     the backward passes over T steps, in the order training runs them
 * @param longestLag  the task's longest lag ({@link org.bptt.api.data.Task#longestLag()}), -1 when unknown
 * @param lossSteps   how many steps of a sequence carry a loss (1 for the adding problem, T for a language model)
 */
public record BackpropReach(String truncation, int steps, List<Window> windows, int longestLag, int lossSteps) {

    public BackpropReach {
        requireNonNull(truncation, "truncation is null");
        windows = List.copyOf(windows);
    }

    /** The reach of {@code truncation} over {@code steps} steps of a task with that longest lag and loss steps. */
    public static BackpropReach of(Truncation truncation, int steps, int longestLag, int lossSteps) {
        return new BackpropReach(truncation.describe(), steps, truncation.windows(steps), longestLag, lossSteps);
    }

    /**
     * Whether losses at several steps add up in ‖∂L/∂h_k‖: each step k receives the gradient of every
     * later loss, so the norm grows towards k = 0 by adding terms, which is not explosion.
     */
    public boolean lossesAddUp() {
        return lossSteps > 1;
    }

    /** The most steps one backward pass goes through: k2 for TBPTT(k1, k2), T for full BPTT. */
    public int horizon() {
        return windows.stream().mapToInt(Window::length).max().orElse(0);
    }

    /** Whether some step's loss is back-propagated through fewer steps than precede it (not full BPTT). */
    public boolean truncated() {
        return windows.stream().anyMatch(w -> w.backFrom() > 0);
    }

    /** Whether the task's longest lag is known and longer than a backward pass reaches. */
    public boolean lagBeyondReach() {
        return truncated() && longestLag >= horizon();
    }

    /**
     * The reach in words for a truncated run, e.g. "the gradient reaches back at most 15 steps
     * (tbptt(k1=5, k2=15)); the task's dependency spans up to 99 steps, longer than that reach"; empty for full BPTT.
     */
    public String sentence() {
        if (!truncated()) {
            return "";
        }
        StringBuilder s =
                new StringBuilder("the gradient reaches back at most " + horizon() + " steps (" + truncation + ")");
        if (longestLag >= 0) {
            s.append("; the task's dependency spans up to ")
                    .append(longestLag)
                    .append(" steps")
                    .append(lagBeyondReach() ? ", longer than that reach" : ", within that reach");
        }
        return s.toString();
    }
}
