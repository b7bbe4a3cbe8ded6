package io.pushfabric.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One complete JSON value, kept as its exact UTF-8 bytes: a push's payload as its producer wrote it, copied byte
 * for byte onto node topics and into push frames without ever being parsed into a tree on the way. Immutable.
 * Two values are equal when their bytes are ({@code {"a":1}} and {@code { "a" : 1 }} are not).
 */
public final class RawJson {
    private final byte[] utf8;

    private RawJson(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** The compact JSON text of {@code value} (for the HTTP API, the Java client and tests). */
    public static RawJson of(JsonNode value) {
        Objects.requireNonNull(value, "value");
        try {
            return new RawJson(Json.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code json} exactly as written, once checked to be one complete JSON value.
     *
     * @throws IllegalArgumentException naming the problem when it is not
     */
    public static RawJson parse(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = Json.MAPPER.createParser(utf8)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("no JSON value in '" + json + "'");
            }
            long start = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            p.finishToken();
            long end = p.currentLocation().getByteOffset();
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value in '" + json + "'");
            }
            return slice(utf8, (int) start, (int) end);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Bytes {@code [from, to)} of {@code source}, which the caller's parser has already checked to be one value,
     * less any whitespace at the end (a parser may have stepped over the one after a number at the root).
     */
    static RawJson slice(byte[] source, int from, int to) {
        int end = to;
        while (end > from && isJsonWhitespace(source[end - 1])) {
            end--;
        }
        return new RawJson(Arrays.copyOfRange(source, from, end));
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** The value parsed into a tree, for the few callers that look inside a payload (clients, tests). */
    public JsonNode tree() {
        try {
            return Json.MAPPER.readTree(utf8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its size in bytes, as produced. */
    public int size() {
        return utf8.length;
    }

    /** Writes the value's bytes, unchanged, where {@code g} expects a value (after a field name or a comma). */
    void writeTo(JsonGenerator g) throws IOException {
        g.writeRawValue(new Utf8Text(utf8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson other && Arrays.equals(utf8, other.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
