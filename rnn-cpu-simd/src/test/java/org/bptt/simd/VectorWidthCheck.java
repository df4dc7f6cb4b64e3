package org.bptt.simd;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import org.bptt.simd.internal.SimdSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the SIMD kernel tests in this JVM, whatever its vector width: {@link TestVectorWidths}
 * starts it in child JVMs limited to 256-bit (AVX2) and 128-bit vectors. Every {@code @Test}
 * method of the classes given runs after their {@code @BeforeAll} methods; prints the width and
 * one line per test, and exits 1 at the first failure with its stack trace.
 */
final class VectorWidthCheck {
    private VectorWidthCheck() {}

    public static void main(String[] args) throws Exception {
        System.out.println("vector-bits " + SimdSupport.preferredVectorBits());
        for (String name : args) {
            Class<?> c = Class.forName(name);
            Method[] methods = c.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method m : methods) {
                if (m.isAnnotationPresent(BeforeAll.class) && Modifier.isStatic(m.getModifiers())) {
                    m.setAccessible(true);
                    m.invoke(null);
                }
            }
            Constructor<?> ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            for (Method m : methods) {
                if (!m.isAnnotationPresent(Test.class)) {
                    continue;
                }
                m.setAccessible(true);
                try {
                    m.invoke(ctor.newInstance());
                } catch (InvocationTargetException e) {
                    System.out.println("FAILED " + c.getSimpleName() + "." + m.getName());
                    e.getCause().printStackTrace(System.out);
                    System.exit(1);
                }
                System.out.println("passed " + c.getSimpleName() + "." + m.getName());
            }
        }
    }
}
