package io.idstream.processors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Each member of a union goes to the handler of its class, with its key and timestamp; a member of a kind no handler
 * takes, or none at all, is refused as malformed, naming the union, so that a kind added to a union is never passed
 * over in silence.
 */
class UnionRouterTest {
    final List<String> handled = new ArrayList<>();
    final UnionRouter router = new UnionRouter("decision")
            .on(String.class, (key, text, timestamp) -> handled.add("text " + text + " under " + key + " at " + timestamp))
            .on(Integer.class, (key, number, timestamp) -> handled.add("number " + number + " under " + key));

    @Test
    void eachKindGoesToItsHandlerWithItsKeyAndTimestamp() {
        router.route("alice", "hello", 42L);
        router.route("bob", 7, 43L);

        assertThat(handled).containsExactly("text hello under alice at 42", "number 7 under bob");
    }

    @Test
    void aKindNoHandlerTakesIsRefusedAsMalformed() {
        assertRefusedAsUnknown(catchThrowableOfType(Rejection.class, () -> router.route("alice", 1.5d, 42L)));
    }

    @Test
    void aMissingMemberIsRefusedAsMalformed() {
        assertRefusedAsUnknown(catchThrowableOfType(Rejection.class, () -> router.route("alice", null, 42L)));
    }

    private void assertRefusedAsUnknown(Rejection rejection) {
        assertThat(rejection).as("the rejection").isNotNull();
        assertThat(rejection.reason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(rejection).hasMessage("decision of unknown kind");
        assertThat(handled).as("handled").isEmpty();
    }
}
