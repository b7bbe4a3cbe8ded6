package io.pushfabric.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads what Linux reports about a process and the machine under {@code /proc}. CPU times are in clock
 * ticks of {@value #TICKS_PER_SECOND} per second ({@code USER_HZ}, fixed at 100 on Linux for x86 and arm).
 */
public final class ProcFs {
    public static final int TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {
    }

    /** One reading of a process. */
    public record ProcessSample(long cpuTicks, long rssKb, long peakRssKb, int threads) {
    }

    /** One reading of the machine's CPU counters (all cores, in ticks). */
    public record MachineSample(long busyTicks, long totalTicks) {
    }

    /**
     * CPU ticks used so far by each thread of a process, summed by thread name (as the kernel keeps it: at most
     * 15 characters), with digits replaced by '#' so that pools add up ("XNIO-1 I/O-#").
     */
    public static java.util.Map<String, Long> threadTicks(long pid) {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        eachThread(pid, (tid, name, ticks) -> byName.merge(name.replaceAll("[0-9]+", "#"), ticks, Long::sum));
        return byName;
    }

    /**
     * CPU ticks used so far by each live thread of a process whose name contains {@code fragment}, by thread id
     * (threads come and go: the JIT's compiler threads are started and stopped on demand).
     */
    public static java.util.Map<Long, Long> threadTicksById(long pid, String fragment) {
        java.util.Map<Long, Long> byId = new java.util.HashMap<>();
        eachThread(pid, (tid, name, ticks) -> {
            if (name.contains(fragment)) {
                byId.put(tid, ticks);
            }
        });
        return byId;
    }

    /** Seconds since the process started ({@code /proc/<pid>/stat} starttime against {@code /proc/uptime}), or -1. */
    public static double ageSeconds(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double startedAt = Long.parseLong(f[19]) / (double) TICKS_PER_SECOND;
            double uptime = Double.parseDouble(Files.readString(PROC.resolve("uptime")).trim().split("\\s+")[0]);
            return Math.max(0, uptime - startedAt);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private interface ThreadVisitor {
        void thread(long tid, String name, long ticks);
    }

    private static void eachThread(long pid, ThreadVisitor visitor) {
        try (Stream<Path> tasks = Files.list(PROC.resolve(pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    visitor.thread(Long.parseLong(task.getFileName().toString()), stat.substring(open + 1, close),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
    }

    /** CPU ticks so far (user + system) of each process that is still there, by its name. */
    public static java.util.Map<String, Long> cpuTicks(List<Watched> processes) {
        java.util.Map<String, Long> ticks = new java.util.LinkedHashMap<>();
        for (Watched w : processes) {
            process(w.pid()).ifPresent(s -> ticks.put(w.name(), s.cpuTicks()));
        }
        return ticks;
    }

    /** Empty when the process is gone (or this is not Linux). */
    public static Optional<ProcessSample> process(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            int threads = Integer.parseInt(f[17]);
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return Optional.of(new ProcessSample(ticks, rss, hwm, threads));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static Optional<MachineSample> machine() {
        try (Stream<String> lines = Files.lines(PROC.resolve("stat"))) {
            String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return Optional.of(new MachineSample(total - idle, total));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Open file descriptors of a process (sockets included), or -1. */
    public static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(PROC.resolve(pid + "/fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft limit on open files of a process, or -1. */
    public static long openFilesLimit(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Kernel memory held by TCP sockets, machine-wide, in KiB ({@code /proc/net/sockstat}), or -1. */
    public static long tcpKernelMemoryKb() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("net/sockstat"))) {
                if (line.startsWith("TCP:")) {
                    List<String> f = List.of(line.split("\\s+"));
                    int i = f.indexOf("mem");
                    return i < 0 ? -1 : Long.parseLong(f.get(i + 1)) * 4;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The first line of a /proc file that starts with {@code prefix}, e.g. "model name" in cpuinfo. */
    public static Optional<String> firstLine(String file, String prefix) {
        try (Stream<String> lines = Files.lines(PROC.resolve(file))) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
