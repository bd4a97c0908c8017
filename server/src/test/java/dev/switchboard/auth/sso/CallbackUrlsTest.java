package dev.switchboard.auth.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlsTest {

    private static final List<String> PREFIXES = List.of("https://app.example.com/sso/");

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/sso/done", "https://app.example.com/sso/done?x=1#top",
            "https://app.example.com/sso/a.b/c..d/.x", "https://app.example.com/sso/done;jsessionid=1"})
    void admitsUrlsUnderAPrefix(String url) {
        assertThat(CallbackUrls.allowed(url, PREFIXES)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/sso/../../evil", "https://app.example.com/sso/%2e%2e/admin",
            "https://app.example.com/sso/%2E%2e/admin", "https://app.example.com/sso/./x/../../y",
            "https://app.example.com.evil.net/sso/", "http://app.example.com/sso/done",
            "https://app.example.com/ssox", "https://user@app.example.com/sso/",
            "https://app.example.com/sso/..;/admin", "https://app.example.com/sso/..;x=1/admin",
            "https://app.example.com/sso/..%2fadmin", "https://app.example.com/sso/..%5Cadmin",
            "https://app.example.com/sso/\u00e9"})
    void refusesUrlsThatLeaveThePrefix(String url) {
        assertThat(CallbackUrls.allowed(url, PREFIXES)).isFalse();
    }
}
