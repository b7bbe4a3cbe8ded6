package io.pushfabric.loadtest.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live heap of a JVM after a full collection: another process through {@code jcmd} (GC.run, then
 * GC.heap_info; for ZGC and Shenandoah, whose heap_info has no such figure, the total of GC.class_histogram),
 * this one through the memory bean. Live heap is what connections really hold; resident
 * memory also depends on how far the collector has grown the heap.
 */
public final class HeapProbe {
    private static final Logger LOG = LoggerFactory.getLogger(HeapProbe.class);
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private HeapProbe() {
    }

    /** Heap in use after a full GC of JVM {@code pid}, in KiB; empty when jcmd is missing or fails. */
    public static OptionalLong liveHeapKb(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            run(List.of(jcmd.toString(), Long.toString(pid), "GC.run"));
            String info = run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
            long used = 0;
            boolean found = false;
            for (String line : info.split("\n")) {
                // One line per heap (G1) or generation (Serial, Parallel); metaspace is not heap.
                if (!line.contains("total") || line.contains("Metaspace") || line.contains("class space")) {
                    continue;
                }
                Matcher m = USED.matcher(line);
                if (m.find()) {
                    used += Long.parseLong(m.group(1));
                    found = true;
                }
            }
            if (found) {
                return OptionalLong.of(used);
            }
            // ZGC and Shenandoah print their heap otherwise: count the live objects instead (a full GC first).
            String histogram = run(List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram"));
            Matcher total = TOTAL.matcher(histogram);
            if (total.find()) {
                return OptionalLong.of(Long.parseLong(total.group(1)) / 1024);
            }
            LOG.warn("No heap figure in jcmd GC.heap_info of {}: {}", pid, info.strip());
        } catch (IOException e) {
            LOG.warn("jcmd on {} failed: {}", pid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalLong.empty();
    }

    /** Heap in use in this JVM after a full GC, in KiB. */
    @SuppressWarnings("java:S1215") // a measurement tool asks for the collection on purpose
    public static long ownLiveHeapKb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
