package io.idstream.connectors.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookAddressPolicyTest {
    final WebhookAddressPolicy strict = new WebhookAddressPolicy(false);
    final WebhookAddressPolicy optedIn = new WebhookAddressPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
            "192.168.0.1", "100.64.0.1", "100.127.255.255", "169.254.169.254", "169.254.0.1", "::", "fc00::1",
            "fd12:3456::1", "fe80::1", "fec0::1", "::10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe",
            "::ffff:169.254.169.254", "::ffff:10.0.0.1", "198.18.0.1", "198.19.255.255", "192.0.0.1",
            "192.0.0.255", "240.0.0.1", "255.255.255.254", "168.63.129.16", "64:ff9b:1::a9fe:a9fe",
            "64:ff9b:1:ffff::0a00:0001"})
    void privateAddressesNeedTheOptInOverHttpsAndAreNeverPlainHttp(String literal) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(strict.refusal("https", address)).as(literal).get().asString()
                .contains("set webhook.allow.private.addresses=true");
        assertThat(optedIn.refusal("https", address)).as(literal).isEmpty();
        assertThat(optedIn.refusal("http", address)).as(literal).get().asString()
                .contains("plain http is allowed to a loopback address only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "169.253.255.255", "192.169.0.1", "11.0.0.1", "2001:4860:4860::8888", "fbff::1", "64:ff9b::808:808",
            "198.17.255.255", "198.20.0.1", "192.0.1.1", "223.255.255.255", "168.63.129.15"})
    void publicAddressesAreHttpsOnly(String literal) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(strict.refusal("https", address)).as(literal).isEmpty();
        assertThat(strict.refusal("http", address)).as(literal).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
    void loopbackIsAllowedOverHttpAndHttpsWithoutOptIn(String literal) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(strict.refusal("http", address)).as(literal).isEmpty();
        assertThat(strict.refusal("https", address)).as(literal).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"224.0.0.1", "ff02::1"})
    void multicastIsNeverConnectedTo(String literal) throws UnknownHostException {
        assertThat(optedIn.refusal("https", InetAddress.getByName(literal))).as(literal).get().asString()
                .isEqualTo("a multicast address");
    }
}
