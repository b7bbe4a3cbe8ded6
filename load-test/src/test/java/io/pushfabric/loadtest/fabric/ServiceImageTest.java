package io.pushfabric.loadtest.fabric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceImageTest {
    /**
     * The snapshot of a jar keeps the jar's modification time: a JVM cache built from the jar (a CDS archive, a
     * Java 25 AOT cache) checks it, and a snapshot with a new time would make every run refuse the cache.
     */
    @Test
    void snapshotKeepsTheJarsModificationTime(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("connector-0.1.0-SNAPSHOT-all.jar"), new byte[] {1, 2, 3});
        FileTime built = FileTime.from(Instant.parse("2026-01-02T03:04:05Z"));
        Files.setLastModifiedTime(jar, built);

        ServiceImage image = ServiceImage.resolve("connector", "io.pushfabric.connector.ConnectorMain", Optional.of(jar),
                ServiceImage.Launch.JARS, dir.resolve("run/jars"));

        assertNotEquals(jar, image.jar());
        assertEquals(built, Files.getLastModifiedTime(image.jar()));
    }
}
