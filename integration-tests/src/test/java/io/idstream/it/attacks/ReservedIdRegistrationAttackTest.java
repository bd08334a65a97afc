package io.idstream.it.attacks;

import io.idstream.processors.TopologyHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registering under a name of the platform's own: a principal's id is its Kafka user and the prefix of its consumer
 * groups, so a principal registered as {@code idstream-admin} or {@code idstream-connect} would be given a Kafka
 * login under the super user's or the Connect worker's name (or the gateway's, {@code idstream-gateway}), and one
 * registered as {@code connect-…} would share the Connect worker's groups. A self-signed registration of such an id,
 * written straight to the raw directory, is refused as {@code malformed} (docs/protocol.md sections 1 and 11):
 * nothing is published and no delivery topic made.
 */
@Timeout(60)
class ReservedIdRegistrationAttackTest {
    TopologyHarness harness;

    @BeforeEach
    void startHarness() throws Exception {
        harness = new TopologyHarness();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @ParameterizedTest
    @CsvSource({"idstream-admin, consumer", "idstream-connect, consumer", "idstream-connect, issuer",
            "idstream-gateway, holder", "connect-webhook, consumer", "idstream-processors, holder"})
    void aSelfSignedRegistrationOfAReservedIdIsRefused(String id, String role) {
        harness.register(id, role);

        assertThat(harness.rejections()).as("refused records").singleElement().satisfies(refused -> {
            assertThat(refused.reason()).isEqualTo("malformed");
            assertThat(refused.detail()).startsWith("id '" + id + "' is reserved: ids starting with '");
        });
        assertThat(harness.verified.readValuesToList()).as("the verified directory").isEmpty();
        assertThat(harness.deliveryTopics).as("delivery topics made").isEmpty();
    }
}
