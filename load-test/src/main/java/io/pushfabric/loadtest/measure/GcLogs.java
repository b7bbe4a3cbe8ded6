package io.pushfabric.loadtest.measure;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GC pauses of each service (from its {@code -Xlog:gc} file) and of the load generator (from its MXBeans). */
public final class GcLogs {
    private static final Pattern PAUSE = Pattern.compile("Pause.* ([0-9.]+)ms$");

    private GcLogs() {
    }

    /** Pauses of one JVM over the run. {@code maxMs} is -1 when only totals are known. */
    public record Pauses(long count, double totalMs, double maxMs) {
    }

    /** Every {@code <name>-gc.log} in {@code logDir}, by name. */
    public static Map<String, Pauses> read(Path logDir) {
        Map<String, Pauses> out = new LinkedHashMap<>();
        if (!Files.isDirectory(logDir)) {
            return out;
        }
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(logDir, "*-gc.log")) {
            for (Path log : logs) {
                String name = log.getFileName().toString().replace("-gc.log", "");
                out.put(name, parse(Files.readAllLines(log)));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** This JVM's collections so far. */
    public static Pauses own() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new Pauses(count, ms, -1);
    }

    static Pauses parse(List<String> lines) {
        long count = 0;
        double total = 0;
        double max = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line.trim());
            if (m.find()) {
                double ms = Double.parseDouble(m.group(1));
                count++;
                total += ms;
                max = Math.max(max, ms);
            }
        }
        return new Pauses(count, Math.round(total * 10) / 10.0, Math.round(max * 10) / 10.0);
    }
}
