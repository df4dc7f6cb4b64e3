package org.example.embedding;

import org.bptt.training.FitListener;
import org.bptt.training.FitResult;
import org.bptt.training.Network;

/**
 * Trains a network on the adding problem through the library alone and prints what it learned:
 * the mean squared error of always answering the mean sum (1.0) beside the network's.
 */
public final class Embedding {
    private Embedding() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        Network net = Network.builder()
                .task("adding", "steps", "10")
                .cell("vanilla", "activation", "tanh")
                .hidden(24)
                .optimizer("adam", "lr", "0.003")
                .policy("clip-norm", "threshold", "1")
                .seed(7)
                .build();
        FitResult r = net.fit(iterations, FitListener.NONE);
        System.out.println(r.outcome() + " after " + r.to() + " iterations");

        // Held-out sequences of 10 steps, (value, marker) per step; two marked values to add.
        java.util.Random random = new java.util.Random(11);
        double squared = 0;
        double baseline = 0;
        int n = 200;
        for (int s = 0; s < n; s++) {
            float[] x = new float[10 * 2];
            for (int t = 0; t < 10; t++) {
                x[2 * t] = random.nextFloat();
            }
            int a = random.nextInt(5);
            int b = 5 + random.nextInt(5);
            x[2 * a + 1] = 1;
            x[2 * b + 1] = 1;
            double sum = x[2 * a] + x[2 * b];
            double y = net.predict(x, 10)[9];
            squared += (y - sum) * (y - sum);
            baseline += (1.0 - sum) * (1.0 - sum);
        }
        System.out.printf(java.util.Locale.ROOT, "held-out mse %.4f, mean-answer mse %.4f%n", squared / n, baseline / n);
    }
}
