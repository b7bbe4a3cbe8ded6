# syntax=docker/dockerfile:1
#
# pushfabric dispatcher: routes push-requests to node topics (io.pushfabric.dispatcher.DispatcherMain).
#
#   docker build -f deploy/dispatcher.Dockerfile -t pushfabric/dispatcher .   (context: the repository root)
#
# Configured only by environment variables (PUSH_*, and KAFKA_* passed to the Kafka clients); see
# docs/operations.md. Every instance with the same PUSH_DISPATCHER_GROUP shares the partitions of
# push-requests. Needs BuildKit (the default builder of Docker 23+ and of `docker compose`).

ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl dispatcher -am package -Dmaven.test.skip=true \
 && mkdir -p /out \
 && cp dispatcher/target/dispatcher-*-all.jar /out/dispatcher.jar

FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 pushfabric \
 && useradd --system --uid 10001 --gid pushfabric --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin pushfabric
WORKDIR /app
COPY --from=build /out/dispatcher.jar /app/dispatcher.jar

# Heap from the container's memory limit; the route near-cache (PUSH_ROUTE_CACHE_MAX_USERS) lives in
# it. Exit on OOM so the orchestrator restarts the instance; its partitions move to the others.
ENV JAVA_TOOL_OPTIONS="-XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
# PUSH_HTTP_PORT: /healthz, /readyz and /metrics.
EXPOSE 8090
# SIGTERM: the loop finishes its batch (up to 30 s), commits, and leaves the group.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PUSH_HTTP_PORT:-8090}/healthz" || exit 1
ENTRYPOINT ["java", "-jar", "/app/dispatcher.jar"]
