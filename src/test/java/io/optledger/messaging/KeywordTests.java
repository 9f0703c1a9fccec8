package io.optledger.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.messaging.Keyword.Kind;
import org.junit.jupiter.api.Test;

class KeywordTests {

    @Test
    void punctuationCaseAccentsAndPoliteWordsAreIgnored() {
        for (String body :
                new String[] {"Stop.", "STOP!", "stop please", "  Please,  stop!! ", "stop now", "Stop thx"}) {
            assertThat(Keyword.read(body)).as(body).isEqualTo(new Keyword(Kind.OPT_OUT, "STOP"));
        }
        assertThat(Keyword.read("Unsubscribe me")).isEqualTo(new Keyword(Kind.OPT_OUT, "UNSUBSCRIBE"));
        assertThat(Keyword.read("un-subscribe")).isEqualTo(new Keyword(Kind.OPT_OUT, "UNSUBSCRIBE"));
        assertThat(Keyword.read("opt-out")).isEqualTo(new Keyword(Kind.OPT_OUT, "OPT OUT"));
        assertThat(Keyword.read("Opt me out")).isEqualTo(new Keyword(Kind.OPT_OUT, "OPT OUT"));
        assertThat(Keyword.read("Stop texting me")).isEqualTo(new Keyword(Kind.OPT_OUT, "STOP"));
        assertThat(Keyword.read("Arrêt")).isEqualTo(new Keyword(Kind.OPT_OUT, "ARRET"));
        assertThat(Keyword.read("stop all")).isEqualTo(new Keyword(Kind.OPT_OUT_ALL, "STOPALL"));
        assertThat(Keyword.read("Aide")).isEqualTo(new Keyword(Kind.HELP, "AIDE"));
    }

    @Test
    void onlyStartAndUnstopResumeAndOnlyYAndYesConfirm() {
        assertThat(Keyword.read("start").kind()).isEqualTo(Kind.RESUME);
        assertThat(Keyword.read("UNSTOP.").kind()).isEqualTo(Kind.RESUME);
        assertThat(Keyword.read(" y ")).isEqualTo(new Keyword(Kind.CONFIRM, "Y"));
        assertThat(Keyword.read("Yes please!")).isEqualTo(new Keyword(Kind.CONFIRM, "YES"));
        assertThat(Keyword.read("yeah").kind()).isEqualTo(Kind.NONE);
    }

    @Test
    void aKeywordInsideASentenceIsNone() {
        assertThat(Keyword.read("Don't stop")).isEqualTo(new Keyword(Kind.NONE, "DON T STOP"));
        assertThat(Keyword.read("when does the sale end?").kind()).isEqualTo(Kind.NONE);
        assertThat(Keyword.read("thank you").kind()).isEqualTo(Kind.NONE);
        assertThat(Keyword.read("").kind()).isEqualTo(Kind.NONE);
    }
}
