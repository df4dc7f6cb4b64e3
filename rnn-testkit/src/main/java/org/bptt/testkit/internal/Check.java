package org.bptt.testkit.internal;

import static java.util.Objects.requireNonNull;

import org.bptt.testkit.ContractResult;
import org.bptt.testkit.ContractResult.Status;

/**
 * One named contract check. Its body returns a one-line account of what passed, or throws
 * {@link Failed} (the plugin broke the contract) or {@link Skipped} (the check cannot run in
 * this JVM).
 */
public record Check(String name, Body body) {

    public Check {
        requireNonNull(name, "name is null");
        requireNonNull(body, "body is null");
    }

    /** What a check does. */
    @FunctionalInterface
    public interface Body {
        String run() throws Exception;
    }

    /** The plugin broke the contract; the message is the one-line detail. */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failed(String detail) {
            super(detail, null, false, false);
        }
    }

    /** The check cannot run here; the message says why. */
    public static final class Skipped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Skipped(String reason) {
            super(reason, null, false, false);
        }
    }

    static Failed fail(String detail) {
        return new Failed(detail);
    }

    /** Runs the check; anything the plugin throws is a failure naming the exception and where it came from. */
    public ContractResult run() {
        try {
            return new ContractResult(name, Status.PASSED, body.run());
        } catch (Failed f) {
            return new ContractResult(name, Status.FAILED, f.getMessage());
        } catch (Skipped s) {
            return new ContractResult(name, Status.SKIPPED, s.getMessage());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return new ContractResult(name, Status.FAILED, "threw " + describe(t));
        }
    }

    /** {@code IllegalStateException: message (at Class.method:line)}, naming the first frame outside the kit. */
    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getName()).append(": ").append(t.getMessage());
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            boolean kit = c.startsWith("org.bptt.testkit.internal.")
                    || c.startsWith("org.bptt.testkit.Contract")
                    || (c.startsWith("org.bptt.testkit.") && c.endsWith("Contract"));
            if (!kit && !c.startsWith("java.") && !c.startsWith("jdk.")) {
                s.append(" (at ")
                        .append(c)
                        .append('.')
                        .append(e.getMethodName())
                        .append(':')
                        .append(e.getLineNumber())
                        .append(')');
                break;
            }
        }
        return s.toString();
    }
}
