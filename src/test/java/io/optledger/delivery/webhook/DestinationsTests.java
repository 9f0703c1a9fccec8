package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses the guard refuses, IPv6 forms that carry an IPv4 address included. */
class DestinationsTests {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, a loopback address",
        "127.8.9.10, a loopback address",
        "::1, a loopback address",
        "10.0.0.1, a private address",
        "172.31.255.255, a private address",
        "192.168.1.1, a private address",
        "100.64.0.1, a private address",
        "fd12:3456::1, a private address",
        "169.254.0.1, a link-local address",
        "fe80::1, a link-local address",
        "169.254.169.254, a cloud metadata address",
        "fd00:ec2::254, a cloud metadata address",
        "100.100.100.200, a cloud metadata address",
        "0.0.0.0, a 'this network' address",
        "::, the unspecified address",
        "224.0.0.1, a multicast address",
        "ff02::1, a multicast address",
        "255.255.255.255, a reserved address",
        "198.18.0.1, a reserved address",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, a reserved address",
        "::ffff:10.0.0.1, a private address",
        "64:ff9b::7f00:1, 'an IPv6 form of 127.0.0.1, a loopback address'",
        "2002:a9fe:a9fe::1, 'an IPv6 form of 169.254.169.254, a cloud metadata address'",
        "::7f00:1, 'an IPv6 form of 127.0.0.1, a loopback address'"
    })
    void refuses(String address, String why) throws Exception {
        assertThat(Destinations.forbidden(InetAddress.getByName(address))).isEqualTo(why);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "192.0.2.10",
                "172.32.0.1",
                "100.128.0.1",
                "2606:4700:4700::1111",
                "64:ff9b::808:808",
                "2002:808:808::1"
            })
    void letsPublicAddressesThrough(String address) throws Exception {
        assertThat(Destinations.forbidden(InetAddress.getByName(address))).isNull();
    }
}
