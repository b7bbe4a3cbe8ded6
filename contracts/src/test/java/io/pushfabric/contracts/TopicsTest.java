package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void controlTopicIsNotUnderTheRequestsPrefixSoAProducersPrefixedAclCannotReachIt() {
        for (Topics topics : new Topics[] {Topics.DEFAULT, Topics.withBase("orders")}) {
            assertThat(topics.control())
                    .doesNotStartWith(topics.requests())
                    .doesNotStartWith(topics.nodePrefix());
        }
    }

    @Test
    void eachFabricHasItsOwnControlTopic() {
        assertThat(Topics.withBase("orders").control()).isNotEqualTo(Topics.withBase("billing").control());
        assertThat(Topics.withBase("push-requests").control()).isEqualTo(Topics.DEFAULT.control());
    }
}
