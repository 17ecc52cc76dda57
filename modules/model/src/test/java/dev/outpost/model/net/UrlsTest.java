package dev.outpost.model.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          https://hooks.example/outpost                        | https://hooks.example/outpost
          https://hooks.example:8443/a/b                       | https://hooks.example:8443/a/b
          https://alice:s3cret@hooks.example/outpost           | https://***@hooks.example/outpost
          https://token@hooks.example                          | https://***@hooks.example
          https://a:b@c@hooks.example/x@y                      | https://***@hooks.example/x@y
          https://hooks.example/outpost?token=abc&x=1          | https://hooks.example/outpost?***
          https://hooks.example/outpost?                       | https://hooks.example/outpost
          https://u:p@hooks.example/p?key=k#frag               | https://***@hooks.example/p?***
          http://[::1]:8080/hook?sig=1                         | http://[::1]:8080/hook?***
          not a url?secret=1                                   | not a url?***
          """)
  void credentialsAndQueriesAreHidden(final String url, final String shown) {
    assertThat(Urls.redact(url)).isEqualTo(shown);
  }
}
