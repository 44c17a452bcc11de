package skiff.interop;

import java.util.Objects;

/** Assertions that hold whether or not the JVM runs with -ea: a failed one ends its step. */
final class Check {
    private Check() {}

    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    static void that(boolean condition, String what, Object... args) {
        if (!condition)
            throw new Failed(String.format(what, args));
    }

    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual))
            throw new Failed(what + ": expected " + expected + ", got " + actual);
    }
}
