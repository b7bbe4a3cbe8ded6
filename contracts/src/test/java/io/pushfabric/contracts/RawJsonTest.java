package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawJsonTest {
    private static final RawJson SPACIOUS = RawJson.parse("{ \"n\" : 1.10 , \"s\" : \"caf\\u00e9 ☕\" }");

    @Test
    void parseKeepsTheTextExactlyAndTreeReadsIt() throws Exception {
        assertThat(SPACIOUS.toString()).isEqualTo("{ \"n\" : 1.10 , \"s\" : \"caf\\u00e9 ☕\" }");
        assertThat(SPACIOUS.size()).isEqualTo(SPACIOUS.toString().getBytes(StandardCharsets.UTF_8).length);
        assertThat(SPACIOUS.tree()).isEqualTo(Json.MAPPER.readTree("{\"n\":1.10,\"s\":\"café ☕\"}"));
        assertThat(RawJson.parse("  42 ").toString()).isEqualTo("42");
    }

    @Test
    void parseRefusesWhatIsNotOneJsonValue() {
        assertThatThrownBy(() -> RawJson.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> RawJson.parse("1 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("more than one JSON value");
        assertThatThrownBy(() -> RawJson.parse(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no JSON value");
    }

    @Test
    void equalityIsByteEqualityAndATreeGivesTheCompactForm() throws Exception {
        assertThat(RawJson.of(Json.MAPPER.readTree("{ \"a\" : 1 }"))).isEqualTo(RawJson.parse("{\"a\":1}"))
                .hasSameHashCodeAs(RawJson.parse("{\"a\":1}"))
                .isNotEqualTo(RawJson.parse("{ \"a\" : 1 }"));
    }

    @Test
    void writtenValuesGetTheirCommasAndColonsFromTheGenerator() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
            writeMixed(g);
        }
        StringWriter chars = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(chars)) {
            writeMixed(g);
        }

        String expected = "{\"first\":" + SPACIOUS + ",\"list\":[" + SPACIOUS + ",true," + SPACIOUS + "],\"last\":1}";
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(chars.toString()).isEqualTo(expected);
    }

    private static void writeMixed(JsonGenerator g) throws Exception {
        g.writeStartObject();
        g.writeFieldName("first");
        SPACIOUS.writeTo(g);
        g.writeArrayFieldStart("list");
        SPACIOUS.writeTo(g);
        g.writeBoolean(true);
        SPACIOUS.writeTo(g);
        g.writeEndArray();
        g.writeNumberField("last", 1);
        g.writeEndObject();
    }
}
