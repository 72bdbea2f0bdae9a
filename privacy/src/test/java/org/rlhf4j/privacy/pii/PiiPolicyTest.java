package org.rlhf4j.privacy.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;

/** Redaction modes, the policy's actions, training-record screening and file scrubbing (rules only: fast). */
class PiiPolicyTest {
  private static final PiiDetector RULES = PiiDetector.rulesOnly();
  private static final String TEXT = "Mail jane@example.com or call +1 650-253-0000; card 4111 1111 1111 1111.";

  @Test void maskReplacesEachFindingWithItsPlaceholder() {
    PiiPolicy p = PiiPolicy.redact(new Redaction.Mask()).withDetector(RULES);
    PiiPolicy.Outcome o = p.screen(TEXT);
    assertThat(o.verdict()).isEqualTo(PiiPolicy.Verdict.REDACTED);
    assertThat(o.text()).contains("Mail <EMAIL> or call <PHONE>; card <CREDIT_CARD>.");
  }

  @Test void hashGivesConsistentSaltDependentPseudonyms() {
    Redaction.Hash h = Redaction.Hash.withSalt("0123456789abcdef-salt");
    PiiPolicy p = PiiPolicy.redact(h).withDetector(RULES);
    String a = p.screen("write to Jane@Example.com").text().orElseThrow();
    String b = p.screen("jane@example.com wrote back").text().orElseThrow();
    String pseudonym = a.substring(a.indexOf('<'));
    assertThat(pseudonym).matches("<EMAIL_[0-9a-f]{12}>");
    assertThat(b).startsWith(pseudonym); // case-insensitive e-mail: the same pseudonym
    assertThat(h.pseudonym(PiiType.PHONE, "+1 650-253-0000")).isEqualTo(h.pseudonym(PiiType.PHONE, "+1 (650) 253 0000"));
    assertThat(Redaction.Hash.withSalt("another-salt-of-16+bytes").pseudonym(PiiType.EMAIL, "jane@example.com"))
        .isNotEqualTo(h.pseudonym(PiiType.EMAIL, "jane@example.com"));
    assertThatThrownBy(() -> Redaction.Hash.withSalt("short")).hasMessageContaining("at least 16 bytes");
  }

  @Test void dropRejectDetectAndOff() {
    assertThat(PiiPolicy.redact(new Redaction.Drop()).withDetector(RULES).screen(TEXT).verdict()).isEqualTo(PiiPolicy.Verdict.DROPPED);
    assertThat(PiiPolicy.redact(new Redaction.Drop()).withDetector(RULES).screen("nothing here").text()).contains("nothing here");
    PiiPolicy.Outcome r = PiiPolicy.reject().withDetector(RULES).screen(TEXT);
    assertThat(r.verdict()).isEqualTo(PiiPolicy.Verdict.REJECTED);
    assertThat(r.text()).isEmpty();
    PiiPolicy.Outcome d = PiiPolicy.detect().withDetector(RULES).screen(TEXT);
    assertThat(d.text()).contains(TEXT);
    assertThat(d.findings()).extracting(Finding::type).containsExactly(PiiType.EMAIL, PiiType.PHONE, PiiType.CREDIT_CARD);
    assertThat(PiiPolicy.off().screen(TEXT).findings()).isEmpty();
  }

  @Test void trainingRecordsAreRedactedOrRejectedWithTheRecordNamed() {
    List<PreferencePair> pairs = List.of(
        PreferencePair.of(Content.text("What is 2+2?"), Content.text("4"), Content.text("5")),
        PreferencePair.of(Content.text("My SSN is 078-05-1120, help"), Content.text("Sure"), Content.text("No")));
    PiiRecords.Screened<PreferencePair> s = PiiRecords.preferences(pairs, PiiPolicy.redact(new Redaction.Mask()).withDetector(RULES));
    assertThat(s.records().get(1).prompt().display()).isEqualTo("My SSN is <US_SSN>, help");
    assertThat(s.records().get(0)).isEqualTo(pairs.get(0));
    assertThat(s.report().redacted()).isEqualTo(1);
    assertThatThrownBy(() -> PiiRecords.preferences(pairs, PiiPolicy.reject().withDetector(RULES)))
        .isInstanceOf(PiiRejectedException.class).hasMessage("record 2 contains personal data (US_SSN); nothing was loaded");
    assertThat(PiiRecords.preferences(pairs, PiiPolicy.redact(new Redaction.Drop()).withDetector(RULES)).records()).hasSize(1);
  }

  @Test void scrubsJsonlAndCsvAtomically(@TempDir Path dir) throws Exception {
    Path jsonl = dir.resolve("in.jsonl");
    Files.writeString(jsonl, "{\"prompt\":\"reach me at jane@example.com\",\"n\":3,\"tags\":[\"ip 10.0.0.1\"]}\n\n{\"prompt\":\"clean\"}\n");
    Path out = dir.resolve("out.jsonl");
    PiiReport r = FileScrubber.scrub(jsonl, out, PiiPolicy.redact(new Redaction.Mask()).withDetector(RULES), Set.of());
    assertThat(Files.readString(out)).isEqualTo("{\"prompt\":\"reach me at <EMAIL>\",\"n\":3,\"tags\":[\"ip <IP_ADDRESS>\"]}\n{\"prompt\":\"clean\"}\n");
    assertThat(r.records()).isEqualTo(2);
    assertThat(r.findingsByType()).containsEntry(PiiType.EMAIL, 1).containsEntry(PiiType.IP_ADDRESS, 1);

    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id,comment\n1,\"call 020 7031 3000, thanks\"\n2,fine\n");
    Path csvOut = dir.resolve("out.csv");
    FileScrubber.scrub(csv, csvOut, PiiPolicy.redact(new Redaction.Drop()).withDetector(RULES), Set.of("comment"));
    assertThat(Files.readString(csvOut)).isEqualTo("id,comment\n2,fine\n");
    assertThatThrownBy(() -> FileScrubber.scrub(csv, csvOut, PiiPolicy.redact(new Redaction.Mask()).withDetector(RULES), Set.of("nope")))
        .hasMessageContaining("no column 'nope'");
    assertThat(Files.readString(csvOut)).isEqualTo("id,comment\n2,fine\n"); // the failed run left the earlier output intact

    Files.writeString(jsonl, "{\"a\":1}\n{broken\n");
    assertThatThrownBy(() -> FileScrubber.scrub(jsonl, out, PiiPolicy.redact(new Redaction.Mask()).withDetector(RULES), Set.of()))
        .hasMessageStartingWith(jsonl + ":2: malformed JSON");
  }
}
