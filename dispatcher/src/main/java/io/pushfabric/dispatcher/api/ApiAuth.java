package io.pushfabric.dispatcher.api;

/**
 * Who is calling, from {@code Authorization: Bearer <key>}: 401 without a key or with an unknown one, 403 for
 * a known key without the endpoint's scope. The answer never says how close a wrong key came.
 */
final class ApiAuth {
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    ApiAuth(ApiKeys keys) {
        this.keys = keys;
    }

    ApiKey check(String authorization, ApiScope needed) throws ApiProblem {
        if (authorization == null || authorization.isBlank()) {
            throw ApiProblem.unauthorized("an API key is required: Authorization: Bearer <key>");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiProblem.unauthorized("the Authorization header must be 'Bearer <key>'");
        }
        ApiKey key = keys.authenticate(authorization.substring(BEARER.length()).trim())
                .orElseThrow(() -> ApiProblem.unauthorized("the API key is not known"));
        if (!key.allows(needed)) {
            throw ApiProblem.of(403, "forbidden", "key '" + key.name() + "' lacks the scope '" + needed.configName()
                    + "'");
        }
        return key;
    }
}
