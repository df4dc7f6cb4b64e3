package org.bptt.api.tensor;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A named dense float32 matrix stored row-major in a flat array: element (r, c) is
 * {@code data[r * cols + c]}. A vector is a matrix with one row. The array is exposed on
 * purpose: kernels work on it directly.
 */
public final class Tensor {
    private final String name;
    private final int rows;
    private final int cols;
    private final float[] data;

    public Tensor(String name, int rows, int cols) {
        this(name, rows, cols, new float[checkedSize(name, rows, cols)]);
    }

    public Tensor(String name, int rows, int cols, float[] data) {
        this.name = requireNonNull(name, "name is null");
        this.data = requireNonNull(data, "data is null");
        if (data.length != checkedSize(name, rows, cols)) {
            throw new IllegalArgumentException(
                    "tensor " + name + " is " + rows + "x" + cols + " but its data has " + data.length + " elements");
        }
        this.rows = rows;
        this.cols = cols;
    }

    private static int checkedSize(String name, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "tensor " + name + " must have positive sizes, got " + rows + "x" + cols);
        }
        return Math.multiplyExact(rows, cols);
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return data.length;
    }
    /** The live backing array. */
    public float[] data() {
        return data;
    }

    public float get(int r, int c) {
        return data[r * cols + c];
    }

    public void set(int r, int c, float v) {
        data[r * cols + c] = v;
    }

    public void fill(float v) {
        Arrays.fill(data, v);
    }

    public void copyFrom(Tensor other) {
        requireSameShape(other);
        System.arraycopy(other.data, 0, data, 0, data.length);
    }

    public Tensor copy() {
        return new Tensor(name, rows, cols, data.clone());
    }

    public boolean sameShape(Tensor other) {
        return rows == other.rows && cols == other.cols;
    }

    public void requireSameShape(Tensor other) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException("tensor " + name + " is " + rows + "x" + cols + " but " + other.name
                    + " is " + other.rows + "x" + other.cols);
        }
    }

    @Override
    public String toString() {
        return name + "[" + rows + "x" + cols + "]";
    }
}
