package io.pushfabric.contracts;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one shared, thread-safe Jackson mapper for pushfabric's wire formats. */
public final class Json {
    private static final int MAX_NESTING_DEPTH = 200;

    /** Thread-safe once configured; never reconfigured after class initialisation. */
    public static final ObjectMapper MAPPER = mapper(MAX_NESTING_DEPTH);

    /**
     * {@link #MAPPER} for node-topic records: a batch holds each delivery two levels deeper (its object and its
     * array) than a record of its own, so a payload that was deep enough for {@code push-requests} still fits.
     */
    static final ObjectMapper NODE_RECORDS = mapper(MAX_NESTING_DEPTH + 2);

    private static ObjectMapper mapper(int maxNestingDepth) {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .build());
        return mapper;
    }

    private Json() {
    }
}
