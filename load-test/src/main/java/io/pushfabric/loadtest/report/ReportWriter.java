package io.pushfabric.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run's {@code result.json} and {@code report.html} into its run directory. */
public final class ReportWriter {
    public static final String JSON = "result.json";
    public static final String HTML = "report.html";

    private final ObjectMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** @return the HTML file */
    public Path write(RunReport report, Path runDir) {
        try {
            Files.createDirectories(runDir);
            mapper.writeValue(runDir.resolve(JSON).toFile(), report);
            Path html = runDir.resolve(HTML);
            Files.writeString(html, new HtmlReport(mapper).render(report));
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + runDir, e);
        }
    }

    /** Reads a result back (for tests and for comparing runs). */
    public RunReport read(Path json) {
        try {
            return mapper.readValue(json.toFile(), RunReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
    }
}
