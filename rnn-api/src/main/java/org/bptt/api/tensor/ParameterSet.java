package org.bptt.api.tensor;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of named tensors: the parameters of a model, or their gradients (a
 * gradient set has the same names and shapes as its parameter set, see {@link #zerosLike}).
 * The order is the order of declaration and is stable: it defines the "one vector" that
 * global norms and checkpoints see.
 */
public final class ParameterSet implements Iterable<Tensor> {
    private final Map<String, Tensor> byName = new LinkedHashMap<>();
    private final List<Tensor> ordered = new ArrayList<>();
    private final List<Tensor> view = Collections.unmodifiableList(ordered);

    public ParameterSet add(Tensor t) {
        requireNonNull(t, "t is null");
        if (byName.putIfAbsent(t.name(), t) != null) {
            throw new IllegalArgumentException("duplicate parameter name: " + t.name());
        }
        ordered.add(t);
        return this;
    }

    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named " + name + "; known: " + byName.keySet());
        }
        return t;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public int count() {
        return ordered.size();
    }

    public Tensor get(int index) {
        return ordered.get(index);
    }

    public List<Tensor> tensors() {
        return view;
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Total number of scalars. */
    public long totalSize() {
        long n = 0;
        for (Tensor t : ordered) {
            n += t.size();
        }
        return n;
    }

    /** A new set with the same names and shapes, filled with zeros. */
    public ParameterSet zerosLike() {
        ParameterSet z = new ParameterSet();
        for (Tensor t : ordered) {
            z.add(new Tensor(t.name(), t.rows(), t.cols()));
        }
        return z;
    }

    public ParameterSet copy() {
        ParameterSet c = new ParameterSet();
        for (Tensor t : ordered) {
            c.add(t.copy());
        }
        return c;
    }

    public void copyFrom(ParameterSet other) {
        for (Tensor t : ordered) {
            t.copyFrom(other.get(t.name()));
        }
    }

    /**
     * Fails unless {@code other} has this set's names and shapes in this order, as a gradient set
     * must. Allocates nothing while they match, so strategies may call it every step.
     *
     * @throws IllegalArgumentException naming the first tensor that differs
     */
    public void requireMatching(ParameterSet other) {
        if (other.count() != count()) {
            throw new IllegalArgumentException(
                    "expected " + count() + " tensors " + names() + ", got " + other.count() + " " + other.names());
        }
        for (int i = 0; i < ordered.size(); i++) {
            Tensor a = ordered.get(i);
            Tensor b = other.ordered.get(i);
            if (!a.name().equals(b.name()) || !a.sameShape(b)) {
                throw new IllegalArgumentException("tensor " + b + " does not match " + a);
            }
        }
    }

    public void zero() {
        // Indexed: this runs every training step and must not allocate an iterator.
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).fill(0f);
        }
    }

    @Override
    public Iterator<Tensor> iterator() {
        return tensors().iterator();
    }

    @Override
    public String toString() {
        return ordered.toString();
    }
}
