package io.pushfabric.contracts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;

/**
 * One JSON object of a push request or a delivery, read from a streaming parser over the record's UTF-8 bytes
 * without building a tree of its payload: the {@code payload} field is kept as the slice of the record it was
 * written as, every other field as a small node (a string, number, boolean or null; an object or array field
 * other than the payload is checked and skipped, and stands as an empty one of its kind, enough to say "must be a
 * string"). When a field repeats, the last one counts, as in a Jackson tree.
 *
 * @param fields  every field but the payload
 * @param payload the payload's bytes, or null when there is no {@code payload} field
 */
record StreamedObject(ObjectNode fields, RawJson payload) {
    /** Reads a field's value itself, leaving the parser on the value's last token, or declines. */
    interface NestedValue {
        NestedValue NONE = (field, p) -> false;

        /** @return true when it read the value of {@code field} (the parser is on its first token) */
        boolean read(String field, JsonParser p) throws IOException;
    }

    /**
     * Was {@code p}, now on its first token, opened over UTF-8? Jackson also reads UTF-16 and UTF-32 (told by
     * the first bytes); those parsers have no byte offsets, and their bytes must never be pasted into UTF-8.
     */
    static boolean isUtf8(JsonParser p) {
        return p.currentTokenLocation().getByteOffset() >= 0;
    }

    /**
     * Reads the object whose {@code START_OBJECT} is {@code p}'s current token, up to and including its end.
     *
     * @param source the bytes {@code p} reads, from offset 0
     * @throws IOException when the JSON is malformed or breaks the parser's limits (nesting, number length)
     */
    static StreamedObject read(JsonParser p, byte[] source, NestedValue nested) throws IOException {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        RawJson payload = null;
        String field;
        while ((field = p.nextFieldName()) != null) {
            p.nextToken();
            if (field.equals("payload")) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                p.finishToken();
                payload = RawJson.slice(source, start, (int) p.currentLocation().getByteOffset());
            } else if (!nested.read(field, p)) {
                fields.set(field, scalar(p));
            }
        }
        return new StreamedObject(fields, payload);
    }

    private static JsonNode scalar(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(p.getIntValue());
                    case LONG:
                        return LongNode.valueOf(p.getLongValue());
                    default:
                        return BigIntegerNode.valueOf(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return DecimalNode.valueOf(p.getDecimalValue());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case START_OBJECT:
                p.skipChildren();
                return JsonNodeFactory.instance.objectNode();
            case START_ARRAY:
                p.skipChildren();
                return JsonNodeFactory.instance.arrayNode();
            case VALUE_NULL:
            default: // nothing else comes out of JSON text
                return NullNode.getInstance();
        }
    }
}
