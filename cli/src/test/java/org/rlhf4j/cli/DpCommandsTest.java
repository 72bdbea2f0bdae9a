package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code rlhf4j dp epsilon | noise | accuracy}. */
class DpCommandsTest {
  @Test void epsilonAndNoiseRoundTrip() throws Exception {
    CliRun e = CliRun.of("dp", "epsilon", "--noise", "1.1", "--sample-rate", "0.004", "--steps", "15000", "--delta", "1e-5", "--json");
    assertThat(e.code()).as(e.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(e.out());
    assertThat(j.get("epsilon").asDouble()).isCloseTo(2.503, within(2.503e-3));
    CliRun n = CliRun.of("dp", "noise", "--epsilon", "2.503", "--sample-rate", "0.004", "--steps", "15000", "--delta", "1e-5");
    assertThat(n.out()).startsWith("noise multiplier 1.10");
  }

  @Test void prvAccountantGivesOpacusFigure() throws Exception {
    CliRun e = CliRun.of("dp", "epsilon", "--noise", "1.5", "--sample-rate", "0.05", "--steps", "100", "--delta", "1e-6", "--accountant", "prv",
        "--json");
    assertThat(e.code()).as(e.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(e.out());
    assertThat(j.get("accountant").asText()).isEqualTo("prv");
    assertThat(j.get("epsilon").asDouble()).isCloseTo(1.95385, within(1e-5)); // Opacus's PRV test value
  }

  @Test void badArgumentsGiveOneLine() {
    CliRun prv = CliRun.of("dp", "epsilon", "--noise", "0.8", "--sample-rate", "0.05", "--steps", "50000", "--delta", "1e-6", "--accountant", "prv");
    assertThat(prv.code()).isEqualTo(2);
    assertThat(prv.err()).contains("the PRV grid would need").contains("use the rdp accountant");
    CliRun other = CliRun.of("dp", "epsilon", "--noise", "1", "--sample-rate", "0.01", "--steps", "10", "--delta", "1e-5", "--accountant", "gdp");
    assertThat(other.err()).contains("--accountant must be rdp or prv, got 'gdp'");
    CliRun q = CliRun.of("dp", "epsilon", "--noise", "1", "--sample-rate", "2", "--steps", "10", "--delta", "1e-5");
    assertThat(q.err().strip()).isEqualTo("rlhf4j dp epsilon: error: sample rate must be in [0, 1], got 2.0");
  }

  @Test void accuracyShowsCentralBeatingLocal() throws Exception {
    CliRun r = CliRun.of("dp", "accuracy", "--epsilon", "1", "--n", "500", "--trials", "50", "--json");
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("local_rmse").asDouble()).isGreaterThan(5 * j.get("central_rmse").asDouble());
  }
}
