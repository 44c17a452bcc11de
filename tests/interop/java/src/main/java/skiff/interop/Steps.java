package skiff.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The steps of one scenario, each run to its end or its first failure: a failed step is
 * recorded (exception class and message) and the next step still runs, so one run lists
 * everything that breaks. The JSON line: {"scenario", "ok", "failed": [names], "steps": {name: {...}}}.
 */
final class Steps {
    interface Body {
        void run(Map<String, Object> result) throws Exception;
    }

    private final String scenario;
    private final Map<String, Object> steps = new LinkedHashMap<>();
    private final List<String> failed = new ArrayList<>();

    Steps(String scenario) {
        this.scenario = scenario;
    }

    /** Runs body; what it put in its result map is kept even when it fails. */
    boolean run(String name, Body body) {
        Map<String, Object> result = new LinkedHashMap<>();
        long start = System.nanoTime();
        boolean ok;
        try {
            body.run(result);
            ok = true;
        } catch (Throwable t) {
            ok = false;
            failed.add(name);
            result.put("error", describe(t));
            System.err.println("[" + scenario + "] step " + name + " FAILED: " + describe(t));
            t.printStackTrace(System.err);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ok", ok);
        entry.put("ms", (System.nanoTime() - start) / 1_000_000);
        entry.putAll(result);
        steps.put(name, entry);
        return ok;
    }

    /** A step's outcome put by hand (for calls whose failure is a finding, not a failure). */
    void record(String name, Map<String, Object> entry) {
        steps.put(name, entry);
    }

    boolean ok() {
        return failed.isEmpty();
    }

    String json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", scenario);
        out.put("ok", ok());
        out.put("failed", failed);
        out.put("steps", steps);
        return Json.write(out);
    }

    /** The exception a Kafka future or call ended with, unwrapped: "Class: message". */
    static String describe(Throwable t) {
        Throwable root = unwrap(t);
        return root.getClass().getName() + ": " + root.getMessage();
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null)
            t = t.getCause();
        return t;
    }

    /** {"exception": class, "message": message} of a call expected to fail. */
    static Map<String, Object> outcome(Throwable t) {
        Throwable root = unwrap(t);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exception", root.getClass().getName());
        m.put("message", root.getMessage());
        return m;
    }
}
