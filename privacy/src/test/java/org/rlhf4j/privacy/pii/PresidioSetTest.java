package org.rlhf4j.privacy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.testkit.Shared;

/**
 * The detector (rules + CoreNLP NER) on presidio-research's synth_dataset_v2.json (1,500 texts). Thresholds sit just
 * under what was measured (privacy/README.md: span recall email/IBAN/IP/URL/SSN 1.000, phone 0.989, card 0.993,
 * person 0.874, address 0.910; address token recall 0.878; precision over all scored types 0.928 token, 0.901 span).
 */
class PresidioSetTest {
  @Test void recallPerEntityAndOverallPrecision() {
    List<PresidioSet.Sample> set = PresidioSet.read(Shared.require("data/pii-presidio/synth_dataset_v2.json"));
    assertThat(set).hasSize(1500);
    assertThat(set.stream().mapToInt(s -> s.spans().size()).sum()).isEqualTo(2863);
    assertThat(PiiDetector.nerAvailable()).as("CoreNLP on the test classpath").isTrue();
    PiiEvaluation.Result r = PiiEvaluation.evaluate(PiiDetector.defaults(), set);
    Map<PiiType, Double> minSpanRecall = Map.of(PiiType.EMAIL, 0.99, PiiType.IBAN, 0.99, PiiType.IP_ADDRESS, 0.99, PiiType.URL, 0.99,
        PiiType.US_SSN, 0.99, PiiType.PHONE, 0.97, PiiType.CREDIT_CARD, 0.98, PiiType.PERSON, 0.86, PiiType.ADDRESS, 0.90);
    minSpanRecall.forEach((t, min) -> assertThat(r.spans().get(t).recall()).as(t + " span recall").isGreaterThanOrEqualTo(min));
    assertThat(r.tokenTotal().precision()).as("token precision, all types").isGreaterThanOrEqualTo(0.92);
    assertThat(r.spanTotal().precision()).as("span precision, all types").isGreaterThanOrEqualTo(0.90);
    assertThat(r.tokens().get(PiiType.ADDRESS).recall()).as("ADDRESS token recall").isGreaterThanOrEqualTo(0.87);
    assertThat(r.unscoredGold()).containsOnlyKeys("TITLE", "AGE", "NRP", "US_DRIVER_LICENSE");
  }
}
