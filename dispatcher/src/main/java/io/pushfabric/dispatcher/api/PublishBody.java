package io.pushfabric.dispatcher.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.pushfabric.contracts.InvalidPushRequestException;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns an HTTP body into push requests, by the dispatcher's own rules: each request goes through
 * {@link PushRequestCodec#decodePublished}, so whatever the codec accepts on {@code push-requests} (and nothing
 * else) is accepted here. The one difference: {@code "v"} may be left out and means the current version. A request's
 * bytes are never parsed into a tree and written anew, so its payload is published byte for byte as sent.
 *
 * <p>Single: one request object. Batch: {@code {"requests":[...]}}, all or nothing: one bad request rejects
 * the batch, naming its index, and nothing is published.
 */
final class PublishBody {
    private final PushRequestCodec codec;
    private final int maxBatch;

    PublishBody(PushRequestCodec codec, int maxBatch) {
        this.codec = codec;
        this.maxBatch = maxBatch;
    }

    PushRequest single(byte[] body) throws ApiProblem {
        return request(utf8(nonEmpty(body)));
    }

    List<PushRequest> batch(byte[] body) throws ApiProblem {
        List<byte[]> items = items(utf8(nonEmpty(body)));
        if (items.isEmpty()) {
            throw ApiProblem.badRequest("EMPTY_BATCH", "'requests' is empty");
        }
        if (items.size() > maxBatch) {
            throw ApiProblem.tooLarge("BATCH_TOO_LARGE", "a batch holds at most " + maxBatch + " requests, this one "
                    + items.size());
        }
        List<PushRequest> requests = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                requests.add(request(items.get(i)));
            } catch (ApiProblem p) {
                throw p.at(i);
            }
        }
        return requests;
    }

    private PushRequest request(byte[] json) throws ApiProblem {
        try {
            return codec.decodePublished(json);
        } catch (InvalidPushRequestException e) {
            if (e.reason() == InvalidPushRequestException.Reason.PAYLOAD_TOO_LARGE) {
                throw ApiProblem.tooLarge(e.reason().name(), e.detail());
            }
            throw ApiProblem.badRequest(e.reason().name(), e.detail());
        }
    }

    /**
     * The bytes of each element of the body's {@code requests} array, found with a streaming parser. When the
     * field repeats, the last one counts, as in a tree.
     */
    private static List<byte[]> items(byte[] body) throws ApiProblem {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            JsonToken first = p.nextToken();
            List<byte[]> items = null;
            if (first == JsonToken.START_OBJECT) {
                String field;
                while ((field = p.nextFieldName()) != null) {
                    JsonToken value = p.nextToken();
                    boolean requests = field.equals("requests");
                    if (requests && value == JsonToken.START_ARRAY) {
                        items = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            int start = (int) p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            p.finishToken();
                            items.add(Arrays.copyOfRange(body, start, (int) p.currentLocation().getByteOffset()));
                        }
                    } else {
                        items = requests ? null : items;
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            if (first != null && p.nextToken() != null) {
                throw ApiProblem.badRequest("NOT_JSON", "trailing token (" + p.currentToken() + ") after the body");
            }
            if (items == null) {
                throw ApiProblem.badRequest("BAD_SCHEMA", "a batch is an object with an array 'requests'");
            }
            return items;
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("NOT_JSON", e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiProblem.badRequest("NOT_JSON", e.getMessage());
        }
    }

    /**
     * Refuses a body in UTF-16 or UTF-32 (Jackson detects them and then reads characters, with no byte offsets),
     * in the body's words rather than the codec's, which speak of a record.
     */
    private static byte[] utf8(byte[] body) throws ApiProblem {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != null && p.currentTokenLocation().getByteOffset() < 0) {
                throw ApiProblem.badRequest("NOT_JSON", "the body reads as UTF-16 or UTF-32; it must be UTF-8 JSON");
            }
        } catch (IOException e) {
            // Not JSON at its first token: the parse that follows says so, with the parser's message.
        }
        return body;
    }

    private static byte[] nonEmpty(byte[] body) throws ApiProblem {
        if (body.length == 0) {
            throw ApiProblem.badRequest("NOT_JSON", "the body is empty");
        }
        return body;
    }
}
