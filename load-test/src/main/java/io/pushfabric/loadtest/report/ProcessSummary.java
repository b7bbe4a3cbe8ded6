package io.pushfabric.loadtest.report;

/** A process over the whole run: CPU in % of one core, memory in MiB. */
public record ProcessSummary(String name, long pid, double cpuMean, double cpuMax, double rssStartMb, double rssMaxMb,
                             double rssEndMb) {
}
