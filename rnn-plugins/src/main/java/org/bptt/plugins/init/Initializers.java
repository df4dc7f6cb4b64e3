package org.bptt.plugins.init;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bptt.api.init.Initializer;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Structure;
import org.bptt.api.tensor.Tensor;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.qr.QRDecompositionHouseholder_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The built-in initializers. All of them zero the biases and give non-recurrent weights
 * Xavier/Glorot uniform values; they differ in the recurrent matrix W, which decides
 * whether gradients vanish or explode. A recurrent matrix of several square H×H blocks
 * (one per gate) is initialized block by block.
 */
public final class Initializers {
    private Initializers() {}

    /** Xavier/Glorot uniform: U(−a, a), a = gain·√(6/(fanIn+fanOut)). */
    static void xavier(ParameterSpec spec, Tensor t, RandomGenerator r, double gain) {
        double a = gain * Math.sqrt(6.0 / (spec.fanIn() + spec.fanOut()));
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((2 * r.nextDouble() - 1) * a);
        }
    }

    /**
     * Base for schemes that only differ on the recurrence: blocks one square H×H block at a
     * time, a diagonal recurrence (a 1×H vector) where the scheme has a meaning for one, and a
     * refusal, in one sentence, for any other structure (no silent fallback).
     */
    abstract static class RecurrentScheme implements Initializer {
        @Override
        public void initialize(ParameterSpec spec, Tensor target, RandomGenerator random) {
            initialize(spec, Structure.inferred(spec), target, random);
        }

        @Override
        public void initialize(ParameterSpec spec, Structure structure, Tensor target, RandomGenerator random) {
            switch (spec.role()) {
                case BIAS, OUTPUT_BIAS -> target.fill(0f);
                case INPUT_WEIGHTS, OUTPUT_WEIGHTS -> xavier(spec, target, random, 1.0);
                case RECURRENT_WEIGHTS -> {
                    int h = target.cols();
                    if (structure == Structure.DIAGONAL && target.rows() == 1 && diagonal(target.data(), random)) {
                        return;
                    }
                    if (structure != Structure.BLOCKS || target.rows() % h != 0) {
                        throw new ConfigurationException(
                                "the initializer " + describe() + " cannot initialize the recurrent "
                                        + "parameter " + spec.name() + " (" + target.rows() + "×" + target.cols() + ", "
                                        + (structure == Structure.DIAGONAL
                                                ? "a diagonal recurrence"
                                                : "neither square blocks nor a diagonal")
                                        + "); it understands " + understands()
                                        + ", and the initializer uniform takes any shape");
                    }
                    float[] block = new float[h * h];
                    for (int off = 0; off < target.size(); off += h * h) {
                        recurrentBlock(h, block, random);
                        System.arraycopy(block, 0, target.data(), off, h * h);
                    }
                }
            }
        }

        /** Fills one H×H recurrent block. */
        abstract void recurrentBlock(int h, float[] block, RandomGenerator random);

        /**
         * Fills the diagonal w of a recurrence diag(w), or returns false when the scheme has no
         * meaning for one.
         *
         * @implSpec The default returns false.
         */
        boolean diagonal(float[] w, RandomGenerator random) {
            return false;
        }

        private String understands() {
            return diagonal(new float[1], new java.util.SplittableRandom(0))
                    ? "square blocks and diagonal recurrences"
                    : "square blocks";
        }
    }

    static final class Xavier extends RecurrentScheme {
        private final double gain;

        Xavier(double gain) {
            this.gain = gain;
        }

        @Override
        void recurrentBlock(int h, float[] block, RandomGenerator r) {
            double a = gain * Math.sqrt(6.0 / (2.0 * h));
            for (int i = 0; i < block.length; i++) {
                block[i] = (float) ((2 * r.nextDouble() - 1) * a);
            }
        }

        @Override
        public String describe() {
            return "xavier(gain=" + gain + ")";
        }
    }

    /** Q of the QR decomposition of a Gaussian matrix, signs fixed so Q is uniformly (Haar) distributed. */
    static final class Orthogonal extends RecurrentScheme {
        private final double gain;

        Orthogonal(double gain) {
            this.gain = gain;
        }

        @Override
        void recurrentBlock(int h, float[] block, RandomGenerator r) {
            DMatrixRMaj a = new DMatrixRMaj(h, h);
            for (int i = 0; i < h * h; i++) {
                a.data[i] = r.nextGaussian();
            }
            QRDecompositionHouseholder_DDRM qr = new QRDecompositionHouseholder_DDRM();
            qr.decompose(a);
            DMatrixRMaj q = qr.getQ(null, false);
            DMatrixRMaj rr = qr.getR(null, false);
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < h; j++) {
                    double sign = rr.get(j, j) < 0 ? -1 : 1;
                    block[i * h + j] = (float) (gain * sign * q.get(i, j));
                }
            }
        }
        /** The orthogonal diagonal matrices are ±1 on the diagonal: w_i = ±gain, signs uniform. */
        @Override
        boolean diagonal(float[] w, RandomGenerator r) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextBoolean() ? gain : -gain);
            }
            return true;
        }

        @Override
        public String describe() {
            return "orthogonal(gain=" + gain + ")";
        }
    }

    /** IRNN (Le, Jaitly &amp; Hinton 2015): W = gain·I. */
    static final class Identity extends RecurrentScheme {
        private final double gain;

        Identity(double gain) {
            this.gain = gain;
        }

        @Override
        void recurrentBlock(int h, float[] block, RandomGenerator r) {
            java.util.Arrays.fill(block, 0f);
            for (int i = 0; i < h; i++) {
                block[i * h + i] = (float) gain;
            }
        }
        /** diag(w) = gain·I. */
        @Override
        boolean diagonal(float[] w, RandomGenerator r) {
            java.util.Arrays.fill(w, (float) gain);
            return true;
        }

        @Override
        public String describe() {
            return "identity(gain=" + gain + ")";
        }
    }

    /** Gaussian W rescaled so that its largest |eigenvalue| is exactly ρ (the seed's ideal is ρ = 1). */
    static final class SpectralRadius extends RecurrentScheme {
        private final double radius;

        SpectralRadius(double radius) {
            this.radius = radius;
        }

        @Override
        void recurrentBlock(int h, float[] block, RandomGenerator r) {
            DMatrixRMaj a = new DMatrixRMaj(h, h);
            double std = 1.0 / Math.sqrt(h);
            for (int i = 0; i < h * h; i++) {
                a.data[i] = r.nextGaussian() * std;
            }
            double current = spectralRadius(a);
            double s = current > 0 ? radius / current : 0;
            for (int i = 0; i < h * h; i++) {
                block[i] = (float) (a.data[i] * s);
            }
        }

        @Override
        public String describe() {
            return "spectral(radius=" + radius + ")";
        }
    }

    /** PyTorch's default for nn.RNN: every parameter, biases included, U(−s/√H, s/√H). */
    static final class Uniform implements Initializer {
        private final double scale;

        Uniform(double scale) {
            this.scale = scale;
        }

        @Override
        public void initialize(ParameterSpec spec, Tensor t, RandomGenerator r) {
            int hidden = spec.role() == Role.OUTPUT_WEIGHTS || spec.role() == Role.OUTPUT_BIAS
                    ? spec.fanIn()
                    : spec.fanOut();
            double a = scale / Math.sqrt(Math.max(1, hidden));
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) ((2 * r.nextDouble() - 1) * a);
            }
        }

        @Override
        public String describe() {
            return "uniform(scale=" + scale + ")";
        }
    }

    static double spectralRadius(DMatrixRMaj a) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.numCols, false);
        if (!eig.decompose(a.copy())) {
            throw new IllegalStateException("eigenvalue decomposition did not converge");
        }
        double max = 0;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            Complex_F64 e = eig.getEigenvalue(i);
            max = Math.max(max, e.getMagnitude());
        }
        return max;
    }

    private static final PluginOption<Double> GAIN =
            PluginOption.number("gain", 1.0, "multiplies the recurrent matrix").positive();
    private static final PluginOption<Double> RADIUS = PluginOption.number(
                    "radius", 1.0, "target spectral radius rho of W")
            .positive();
    private static final PluginOption<Double> SCALE =
            PluginOption.number("scale", 1.0, "s").positive();

    /** {@code xavier}. */
    public static final class XavierFactory implements InitializerFactory {
        @Override
        public String name() {
            return "xavier";
        }

        @Override
        public String description() {
            return "Xavier/Glorot uniform for every matrix, zero biases";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(GAIN);
        }

        @Override
        public Initializer create(PluginOptions o) {
            PluginOption.requireOnly(o, GAIN);
            return new Xavier(GAIN.read(o));
        }
    }

    /** {@code orthogonal}. */
    public static final class OrthogonalFactory implements InitializerFactory {
        @Override
        public String name() {
            return "orthogonal";
        }

        @Override
        public String description() {
            return "orthogonal recurrent matrix (all |eigenvalues| = gain), Xavier elsewhere";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(GAIN);
        }

        @Override
        public Initializer create(PluginOptions o) {
            PluginOption.requireOnly(o, GAIN);
            return new Orthogonal(GAIN.read(o));
        }
    }

    /** {@code identity}. */
    public static final class IdentityFactory implements InitializerFactory {
        @Override
        public String name() {
            return "identity";
        }

        @Override
        public String description() {
            return "IRNN: recurrent matrix = gain * I, Xavier elsewhere";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(GAIN);
        }

        @Override
        public Initializer create(PluginOptions o) {
            PluginOption.requireOnly(o, GAIN);
            return new Identity(GAIN.read(o));
        }
    }

    /** {@code spectral}. */
    public static final class SpectralFactory implements InitializerFactory {
        @Override
        public String name() {
            return "spectral";
        }

        @Override
        public String description() {
            return "Gaussian recurrent matrix scaled to spectral radius rho, Xavier elsewhere";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(RADIUS);
        }

        @Override
        public Initializer create(PluginOptions o) {
            PluginOption.requireOnly(o, RADIUS);
            return new SpectralRadius(RADIUS.read(o));
        }
    }

    /** {@code uniform}. */
    public static final class UniformFactory implements InitializerFactory {
        @Override
        public String name() {
            return "uniform";
        }

        @Override
        public String description() {
            return "PyTorch's nn.RNN default: U(-s/sqrt(H), s/sqrt(H)) for every parameter";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(SCALE);
        }

        @Override
        public Initializer create(PluginOptions o) {
            PluginOption.requireOnly(o, SCALE);
            return new Uniform(SCALE.read(o));
        }
    }
}
