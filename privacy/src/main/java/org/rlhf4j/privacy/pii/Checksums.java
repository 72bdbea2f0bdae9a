package org.rlhf4j.privacy.pii;

import java.math.BigInteger;

/** The check-digit algorithms that tell a card number or an IBAN from a random digit string. */
public final class Checksums {
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private Checksums() {}

  /** Luhn (ISO/IEC 7812-1): doubling every second digit from the right, the digit sum is a multiple of 10. */
  public static boolean luhn(CharSequence digits) {
    int sum = 0;
    int n = 0;
    for (int i = digits.length() - 1; i >= 0; i--) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') return false;
      int d = c - '0';
      if ((n++ & 1) == 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return n > 0 && sum % 10 == 0;
  }

  /**
   * IBAN check (ISO 13616 / ISO 7064 MOD 97-10): move the first four characters to the end, letters become
   * 10..35, and the number is 1 modulo 97. Spaces are ignored; letters may be in either case.
   */
  public static boolean ibanMod97(CharSequence iban) {
    StringBuilder compact = new StringBuilder();
    for (int i = 0; i < iban.length(); i++) {
      char c = Character.toUpperCase(iban.charAt(i));
      if (c == ' ') continue;
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
      compact.append(c);
    }
    if (compact.length() < 15 || compact.length() > 34) return false;
    if (!Character.isLetter(compact.charAt(0)) || !Character.isLetter(compact.charAt(1))
        || !Character.isDigit(compact.charAt(2)) || !Character.isDigit(compact.charAt(3))) return false;
    String rearranged = compact.substring(4) + compact.substring(0, 4);
    StringBuilder number = new StringBuilder();
    for (char c : rearranged.toCharArray()) number.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    return new BigInteger(number.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }
}
