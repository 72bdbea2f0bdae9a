package org.rlhf4j.privacy.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Recognisers against hand-checked strings. */
class RecognizersTest {
  private static List<String> found(Recognizer r, String text) {
    return r.find(text).stream().map(f -> f.in(text)).toList();
  }

  @Test void luhnAcceptsIssuerTestNumbersAndRejectsOneDigitOff() {
    assertThat(Checksums.luhn("4111111111111111")).isTrue(); // Visa test number
    assertThat(Checksums.luhn("378282246310005")).isTrue(); // Amex test number
    assertThat(Checksums.luhn("5500000000000004")).isTrue();
    assertThat(Checksums.luhn("4111111111111112")).isFalse();
    assertThat(Checksums.luhn("79927398713")).isTrue(); // the textbook example: 7+9+9+4+7+6+9+7+7+2+3 = 70... with doubling
    assertThat(Checksums.luhn("79927398710")).isFalse();
    assertThat(Checksums.luhn("")).isFalse();
    assertThat(Checksums.luhn("4111-1111")).isFalse();
  }

  @Test void creditCardsNeedLuhnAndKeepTheirSeparators() {
    Recognizer cc = Recognizers.creditCard();
    assertThat(found(cc, "card 4111 1111 1111 1111 expires")).containsExactly("4111 1111 1111 1111");
    assertThat(found(cc, "card 4111-1111-1111-1111.")).containsExactly("4111-1111-1111-1111");
    assertThat(found(cc, "card 4111 1111 1111 1112")).isEmpty();
    assertThat(found(cc, "order 12345678901234567890123")).isEmpty(); // too long
  }

  @Test void ibanMod97() {
    assertThat(Checksums.ibanMod97("GB82 WEST 1234 5698 7654 32")).isTrue(); // ECBS example
    assertThat(Checksums.ibanMod97("DE89370400440532013000")).isTrue();
    assertThat(Checksums.ibanMod97("gb82west12345698765432")).isTrue();
    assertThat(Checksums.ibanMod97("GB82 WEST 1234 5698 7654 33")).isFalse();
    assertThat(Checksums.ibanMod97("GB83 WEST 1234 5698 7654 32")).isFalse();
    assertThat(Checksums.ibanMod97("GB82")).isFalse();
    Recognizer iban = Recognizers.iban();
    assertThat(found(iban, "pay to GB82 WEST 1234 5698 7654 32 today")).containsExactly("GB82 WEST 1234 5698 7654 32");
    assertThat(found(iban, "from DE89370400440532013000 to other banks")).containsExactly("DE89370400440532013000");
    assertThat(found(iban, "from DE89370400440532013001 to other banks")).isEmpty();
  }

  @Test void phoneNumbersDependOnTheRegionsTried() {
    String uk = "ring me on 020 7031 3000 tomorrow";
    assertThat(found(new PhoneRecognizer(List.of("GB")), uk)).containsExactly("020 7031 3000");
    assertThat(found(new PhoneRecognizer(List.of("US")), uk)).isEmpty();
    String us = "call (650) 253-0000 now";
    assertThat(found(new PhoneRecognizer(List.of("US")), us)).containsExactly("(650) 253-0000");
    assertThat(found(new PhoneRecognizer(List.of("DE")), "Tel. 030 901820 oder")).containsExactly("030 901820");
    // With a country code the region does not matter.
    assertThat(found(new PhoneRecognizer(List.of("US")), "office +44 20 7031 3000.")).containsExactly("+44 20 7031 3000");
    assertThat(found(PhoneRecognizer.defaults(), "3... 2... 1... liftoff")).isEmpty();
    assertThat(found(PhoneRecognizer.defaults(), "we sold 1234567 units")).isEmpty(); // a bare run without context
    assertThatThrownBy(() -> new PhoneRecognizer(List.of("XX"))).hasMessageContaining("unknown phone region 'XX'");
  }

  @Test void emailsIpAddressesAndUrls() {
    assertThat(found(Recognizers.email(), "mail jane.doe+x@example.co.uk, or a@b")).containsExactly("jane.doe+x@example.co.uk");
    assertThat(found(Recognizers.ipv4(), "from 192.168.0.1 and 256.1.1.1 and 1.2.3")).containsExactly("192.168.0.1");
    assertThat(found(Recognizers.ipv6(), "v6 2001:db8::8a2e:370:7334 and fe80::1 not 12:30")).containsExactly("2001:db8::8a2e:370:7334", "fe80::1");
    assertThat(Recognizers.isIpv6("6e40:4041:c617:e898:c11:40d2:c669:2eb4")).isTrue();
    assertThat(Recognizers.isIpv6("1:2:3:4:5:6:7")).isFalse();
    assertThat(Recognizers.isIpv6("1::2::3")).isFalse();
    assertThat(found(Recognizers.url(), "see https://www.example.com/a?b=1. Or www.test.org")).containsExactly("https://www.example.com/a?b=1", "www.test.org");
  }

  @Test void ssnRulesExcludeNeverIssuedNumbers() {
    Recognizer ssn = Recognizers.ssn();
    assertThat(found(ssn, "SSN 078-05-1120 on file")).containsExactly("078-05-1120");
    assertThat(found(ssn, "000-12-3456 666-12-3456 912-12-3456 123-00-4567 123-45-0000")).isEmpty();
    assertThat(ssn.find("social security 123-45-6789").get(0).confidence()).isEqualTo(0.95);
    assertThat(ssn.find("id 123-45-6789").get(0).confidence()).isEqualTo(0.8);
  }

  @Test void datesZipCodesAndAddresses() {
    assertThat(found(Recognizers.date(), "born 1992-11-12 07:04:41, moved 3/4/2001 and on March 5, 2010"))
        .containsExactly("1992-11-12 07:04:41", "3/4/2001", "March 5, 2010");
    assertThat(found(Recognizers.zipAfterKeyword(), "my zip code is 35350.")).containsExactly("35350");
    assertThat(found(Recognizers.zipAfterState(), "Springfield, IL 62704")).containsExactly("62704");
    Recognizer addr = new AddressRecognizer();
    assertThat(found(addr, "send it to 24 Clarke Avenue, please")).containsExactly("24 Clarke Avenue");
    assertThat(found(addr, "The bus station is on Vesterskovvej 79")).containsExactly("Vesterskovvej 79");
    assertThat(found(addr, "PSC 3294, Box 9168\nAPO AA 61487")).containsExactly("PSC 3294, Box 9168\nAPO AA 61487");
    String label = "6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677\n\nthanks!";
    assertThat(found(addr, label)).containsExactly("6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677");
    assertThat(found(addr, "see Guilty Pleasures: 5 Musicians Of The 70s")).isEmpty();
  }

  @Test void anAddressRunsOnOverItsLineAndStopsWhereTheSentenceGoesOn() {
    Recognizer addr = new AddressRecognizer();
    assertThat(found(addr, "mail 12 Main St, Springfield, IL 62704, and call me"))
        .containsExactly("12 Main St, Springfield, IL 62704");
    assertThat(found(addr, "3911 Fourth Avenue Suite 697 Apt. 397, Mora de Rubielos, Spain 16200."))
        .containsExactly("3911 Fourth Avenue Suite 697 Apt. 397, Mora de Rubielos, Spain 16200");
    assertThat(found(addr, "to 6639 Canónigo Valiño 70\n Apt. 758\n Almussafes\n Spain 97197 in case of an issue."))
        .containsExactly("6639 Canónigo Valiño 70\n Apt. 758\n Almussafes\n Spain 97197");
    assertThat(found(addr, "at 1812 Rue De La Gare\n Apt. 271\n Canada 36523 last night"))
        .containsExactly("1812 Rue De La Gare\n Apt. 271\n Canada 36523");
    assertThat(found(addr, "I moved to 24 Clarke Avenue. I like it")).containsExactly("24 Clarke Avenue");
    assertThat(found(addr, "lives at 3911 fourth avenue now")).containsExactly("3911 fourth avenue");
    assertThat(found(addr, "During 1971, Mayo-Walters grew")).isEmpty();
  }

  @Test void namesByContext() {
    Recognizer names = new NameContextRecognizer();
    assertThat(found(names, "Hello, my name is patricia desrosiers")).contains("patricia desrosiers");
    assertThat(found(names, "Ask Dr. Maria Lopez.")).containsExactly("Maria Lopez");
    assertThat(found(names, "I am going home")).isEmpty();
  }
}
