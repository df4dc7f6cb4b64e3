package org.bptt.training.plugin;

import java.nio.charset.StandardCharsets;
import org.bptt.training.plugin.trap.ExitTrap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a plugin class's calls that would end the JVM ({@code System.exit},
 * {@code Runtime.exit}, {@code Runtime.halt}, called directly or as a method reference) into
 * calls of {@link ExitTrap}, which throw. Since JDK 18 no SecurityManager can refuse them, and
 * a plugin that ends the process makes the command exit with the plugin's status (0 for work left
 * undone). Each replacement takes the same operands off the stack and returns nothing, like the
 * call it replaces, so the method's stack map frames stay valid and are copied unchanged.
 */
final class ExitCalls {
    static final String TRAP = ExitTrap.class.getName().replace('.', '/');
    private static final byte[][] NAMES = {
        "exit".getBytes(StandardCharsets.UTF_8), "halt".getBytes(StandardCharsets.UTF_8)
    };

    private ExitCalls() {}

    /** Whether a class file may call one of them: its constant pool holds the name {@code exit} or {@code halt}. */
    static boolean mayExit(byte[] classFile) {
        for (byte[] n : NAMES) {
            if (indexOf(classFile, n) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The class file with every exit call replaced (the same bytes' content when there is none). */
    static byte[] rewrite(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        return new MethodVisitor(
                                Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                            @Override
                            public void visitMethodInsn(
                                    int opcode, String owner, String method, String desc, boolean itf) {
                                String trap = trapFor(owner, method, desc);
                                if (trap != null
                                        && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKEVIRTUAL)) {
                                    super.visitMethodInsn(
                                            Opcodes.INVOKESTATIC, TRAP, trap, trapDescriptor(owner), false);
                                } else {
                                    super.visitMethodInsn(opcode, owner, method, desc, itf);
                                }
                            }

                            @Override
                            public void visitInvokeDynamicInsn(
                                    String name, String desc, Handle bootstrap, Object... args) {
                                Object[] a = args.clone();
                                for (int i = 0; i < a.length; i++) {
                                    a[i] = handle(a[i]);
                                }
                                super.visitInvokeDynamicInsn(name, desc, bootstrap, a);
                            }

                            @Override
                            public void visitLdcInsn(Object value) {
                                super.visitLdcInsn(handle(value));
                            }
                        };
                    }
                },
                0);
        return writer.toByteArray();
    }

    /** A method handle to an exit call ({@code System::exit}) becomes one to its trap. */
    private static Object handle(Object o) {
        if (o instanceof Handle h && (h.getTag() == Opcodes.H_INVOKESTATIC || h.getTag() == Opcodes.H_INVOKEVIRTUAL)) {
            String trap = trapFor(h.getOwner(), h.getName(), h.getDesc());
            if (trap != null) {
                return new Handle(Opcodes.H_INVOKESTATIC, TRAP, trap, trapDescriptor(h.getOwner()), false);
            }
        }
        return o;
    }

    private static String trapFor(String owner, String name, String desc) {
        if (!desc.equals("(I)V")) {
            return null;
        }
        if (owner.equals("java/lang/System") && name.equals("exit")) {
            return "exit";
        }
        if (owner.equals("java/lang/Runtime") && name.equals("exit")) {
            return "runtimeExit";
        }
        if (owner.equals("java/lang/Runtime") && name.equals("halt")) {
            return "halt";
        }
        return null;
    }

    private static String trapDescriptor(String owner) {
        return owner.equals("java/lang/System") ? "(I)V" : "(Ljava/lang/Runtime;I)V";
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
