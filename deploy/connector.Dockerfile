# syntax=docker/dockerfile:1
#
# pushfabric connector: the WebSocket edge (io.pushfabric.connector.ConnectorMain).
#
#   docker build -f deploy/connector.Dockerfile -t pushfabric/connector .     (context: the repository root)
#
# Configured only by environment variables (PUSH_*, and KAFKA_* passed to the Kafka clients); see
# docs/operations.md. PUSH_JWT_SECRET is required; set PUSH_NODE_ID to a stable id per instance.
# Needs BuildKit (the default builder of Docker 23+ and of `docker compose`) for the Maven cache mount.

ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven Wrapper fetches the Maven version the repository pins; the cache mount keeps it and the
# local repository between builds. Tests run in CI, not in the image build.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl connector -am package -Dmaven.test.skip=true \
 && mkdir -p /out \
 && cp connector/target/connector-*-all.jar /out/connector.jar

FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 pushfabric \
 && useradd --system --uid 10001 --gid pushfabric --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin pushfabric
WORKDIR /app
COPY --from=build /out/connector.jar /app/connector.jar

# Heap from the container's memory limit. The rest of the limit is for direct buffers (Undertow,
# Netty in Redisson), thread stacks, metaspace and the kernel's socket buffers of every connection,
# which cgroup v2 charges to the container too. Exit on OOM so the orchestrator restarts the node and
# its clients resume elsewhere, instead of limping on.
ENV JAVA_TOOL_OPTIONS="-XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
# PUSH_PORT: /ws, /healthz, /readyz and /metrics.
EXPOSE 8080
# SIGTERM starts the graceful shutdown (shutdown hook); give it time: `docker stop -t`, compose
# stop_grace_period, Kubernetes terminationGracePeriodSeconds.
STOPSIGNAL SIGTERM
# Liveness only (curl ships with the eclipse-temurin Ubuntu images). Readiness is /readyz; load
# balancers and orchestrators should route by that.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PUSH_PORT:-8080}/healthz" || exit 1
# exec form: java is PID 1 and receives SIGTERM itself.
ENTRYPOINT ["java", "-jar", "/app/connector.jar"]
