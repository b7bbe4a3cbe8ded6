package io.pushfabric.loadtest.fabric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushfabric.loadtest.publish.ProducerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The floor carries what it measures: every message through both hops, counted back from the node topics. */
class KafkaFloorTest {
    @Test
    void aPackedRecordCountsItsMessages() {
        byte[] packed = KafkaFloorMain.pack(List.of("a".getBytes(StandardCharsets.UTF_8), new byte[0],
                "{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, KafkaFloorMain.count(packed));
        assertEquals(0, KafkaFloorMain.count(KafkaFloorMain.pack(List.of())));
        assertThrows(IllegalArgumentException.class, () -> KafkaFloorMain.count(Arrays.copyOf(packed, packed.length - 1)));
    }

    @Test
    void aKeyAlwaysGoesToTheSameNode() {
        assertEquals(KafkaFloorMain.nodeOf("lt-user-7", 2), KafkaFloorMain.nodeOf("lt-user-7", 2));
        assertEquals(0, KafkaFloorMain.nodeOf(null, 3));
    }

    @Test
    void everyPublishedMessageReachesTheNodeTopics(@TempDir Path dir) throws Exception {
        KafkaFloor.Result result = KafkaFloor.run(new KafkaFloor.Settings(500, Duration.ofSeconds(2),
                Duration.ofSeconds(3), 4, 2, 5, List.of("-Xmx512m"), Map.of(), ProducerSpec.DEFAULT, 100), dir);
        assertEquals(2_500, result.published());
        assertEquals(result.published(), result.inNodeTopics());
        assertTrue(result.carried());
        assertTrue(result.step().fabricCpuSeconds() > 0, result.step().toString());
    }
}
