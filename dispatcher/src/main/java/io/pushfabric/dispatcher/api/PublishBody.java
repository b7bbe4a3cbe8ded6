package io.pushfabric.dispatcher.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.InvalidPushRequestException;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an HTTP body into push requests, by the dispatcher's own rules: each request goes through
 * {@link PushRequestCodec#decodeValue}, so whatever the codec accepts on {@code push-requests} (and nothing
 * else) is accepted here. The one difference: {@code "v"} may be left out and means the current version.
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
        return request(parse(body));
    }

    List<PushRequest> batch(byte[] body) throws ApiProblem {
        JsonNode root = parse(body);
        JsonNode items = root.get("requests");
        if (!(root instanceof ObjectNode) || !(items instanceof ArrayNode array)) {
            throw ApiProblem.badRequest("BAD_SCHEMA", "a batch is an object with an array 'requests'");
        }
        if (array.isEmpty()) {
            throw ApiProblem.badRequest("EMPTY_BATCH", "'requests' is empty");
        }
        if (array.size() > maxBatch) {
            throw ApiProblem.tooLarge("BATCH_TOO_LARGE", "a batch holds at most " + maxBatch + " requests, this one "
                    + array.size());
        }
        List<PushRequest> requests = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                requests.add(request(array.get(i)));
            } catch (ApiProblem p) {
                throw p.at(i);
            }
        }
        return requests;
    }

    private PushRequest request(JsonNode node) throws ApiProblem {
        if (node instanceof ObjectNode obj && !obj.has("v")) {
            obj.put("v", PushRequest.VERSION); // the tree was parsed for this call alone
        }
        try {
            return codec.decodeValue(Json.MAPPER.writeValueAsBytes(node));
        } catch (InvalidPushRequestException e) {
            if (e.reason() == InvalidPushRequestException.Reason.PAYLOAD_TOO_LARGE) {
                throw ApiProblem.tooLarge(e.reason().name(), e.detail());
            }
            throw ApiProblem.badRequest(e.reason().name(), e.detail());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always serializes", e);
        }
    }

    private static JsonNode parse(byte[] body) throws ApiProblem {
        if (body.length == 0) {
            throw ApiProblem.badRequest("NOT_JSON", "the body is empty");
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("NOT_JSON", e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiProblem.badRequest("NOT_JSON", e.getMessage());
        }
    }
}
