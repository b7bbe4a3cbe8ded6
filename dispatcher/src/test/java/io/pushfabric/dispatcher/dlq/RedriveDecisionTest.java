package io.pushfabric.dispatcher.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequestCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedriveDecisionTest {
    private static final long NOW = 1_800_000_000_000L;
    private final RedriveDecision decision = new RedriveDecision(new PushRequestCodec());

    private static DeadLetter letter(String key, String value, String reason) {
        return new DeadLetter(new MessagePosition(0, 7), NOW, key, value.getBytes(StandardCharsets.UTF_8), reason,
                "detail", "push-requests/3/120", List.of());
    }

    @Test
    void validRequestInTheWrongPartitionIsRedrivenUnderItsRoutingKeyKeepingItsMessageId() {
        var outcome = decision.decide(letter("alice",
                "{\"v\":1,\"user\":\"alice\",\"messageId\":\"m-1\",\"payload\":{}}", "WRONG_PARTITION"), NOW);

        assertThat(outcome).isInstanceOfSatisfying(RedriveDecision.Redrive.class, r -> {
            assertThat(r.key()).isEqualTo("alice");
            assertThat(r.request().messageId()).isEqualTo("m-1");
        });
    }

    @Test
    void broadcastIsRedrivenUnderTheBroadcastKey() {
        var outcome = decision.decide(letter("*", "{\"v\":1,\"broadcast\":true,\"payload\":1}", "WRONG_PARTITION"), NOW);

        assertThat(outcome).isInstanceOfSatisfying(RedriveDecision.Redrive.class, r -> assertThat(r.key()).isEqualTo("*"));
    }

    @Test
    void whatWouldFailAgainIsRefusedWithItsReason() {
        assertThat(decision.decide(letter("alice", "{not json", "NOT_JSON"), NOW))
                .isEqualTo(new RedriveDecision.Refuse("NOT_JSON", refusalDetail("alice", "{not json")));
        assertThat(decision.decide(letter("bob", "{\"v\":1,\"user\":\"alice\",\"payload\":1}", "KEY_MISMATCH"), NOW))
                .isInstanceOfSatisfying(RedriveDecision.Refuse.class, r -> assertThat(r.reason()).isEqualTo("KEY_MISMATCH"));
        assertThat(decision.decide(letter("alice", "{\"v\":1,\"user\":\"alice\"}", "BAD_SCHEMA"), NOW))
                .isInstanceOfSatisfying(RedriveDecision.Refuse.class, r -> assertThat(r.reason()).isEqualTo("BAD_SCHEMA"));
    }

    @Test
    void expiredRequestIsRefused() {
        var outcome = decision.decide(letter("alice",
                "{\"v\":1,\"user\":\"alice\",\"payload\":1,\"expiresAt\":" + (NOW - 1) + "}", "WRONG_PARTITION"), NOW);

        assertThat(outcome).isInstanceOfSatisfying(RedriveDecision.Refuse.class,
                r -> assertThat(r.reason()).isEqualTo(RedriveDecision.EXPIRED));
    }

    private String refusalDetail(String key, String value) {
        try {
            new PushRequestCodec().decode(key, value.getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("decodes");
        } catch (io.pushfabric.contracts.InvalidPushRequestException e) {
            return e.detail();
        }
    }
}
