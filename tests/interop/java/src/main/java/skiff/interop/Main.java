package skiff.interop;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * java -jar skiff-interop.jar SCENARIO BOOTSTRAP [--option value ...]
 * Scenarios: produce, consume, admin (see their classes), versions (the request versions this
 * client knows, no broker needed). Prints one JSON line on stdout; exit 0 when every step passed,
 * 1 when one failed (the JSON says which, stderr says why), 2 on a usage error.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length >= 1 && args[0].equals("versions")) {
            Map<String, Object> v = new LinkedHashMap<>();
            for (ApiKeys k : ApiKeys.clientApis())
                v.put(k.name, k.oldestVersion() + "-" + k.latestVersion());
            System.out.println(Json.write(Map.of("scenario", "versions", "ok", true, "apis", v)));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: java -jar skiff-interop.jar produce|consume|admin|versions BOOTSTRAP [--option value ...]");
            System.exit(2);
        }
        Options options;
        try {
            options = new Options(args, 2);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Steps steps;
        try {
            switch (args[0]) {
                case "produce" -> steps = ProduceScenario.run(args[1], options);
                case "consume" -> steps = ConsumeScenario.run(args[1], options);
                case "admin" -> steps = AdminScenario.run(args[1], options);
                default -> throw new IllegalArgumentException("unknown scenario: " + args[0]);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(steps.json());
        System.out.flush();
        if (!steps.ok())
            System.err.println(args[0] + ": FAILED steps " + steps.json().replaceAll(".*\"failed\":(\\[[^]]*\\]).*", "$1"));
        // Exit explicitly: a client thread left behind must not keep the JVM up.
        System.exit(steps.ok() ? 0 : 1);
    }
}
