package org.rlhf4j.feedback;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ServiceUnavailableResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Password hashing (bcrypt, {@code at.favre.lib:bcrypt}) and the password policy. bcrypt reads at most 72 bytes;
 * a longer password is first hashed with SHA-512 (the library's {@code hashSha512} strategy), so every character
 * counts and nothing fails; passwords of at most 72 bytes hash exactly as before. At most half the cores compute
 * bcrypt at once, so a flood of logins cannot take the CPU from raters; beyond that, callers wait up to 5 s, then 503.
 */
final class Passwords {
  static final int MIN_LENGTH = 12;
  static final int MAX_LENGTH = 256;
  /** The ranked list of passwords found in breaches shipped by nbvcxz (a Java port of zxcvbn, MIT licence). */
  static final String COMMON_LIST = "/dictionaries/passwords.txt";

  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
  private static final LongPasswordStrategy LONG = LongPasswordStrategies.hashSha512(VERSION);

  private final int cost;
  private final Semaphore permits = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);
  private final String dummyHash;

  Passwords(int cost) {
    this.cost = cost;
    this.dummyHash = hash("not-a-real-password");
  }

  String hash(String password) { return bounded(() -> BCrypt.with(VERSION, LONG).hashToString(cost, password.toCharArray())); }

  /** Whether {@code password} matches {@code hash}; a null hash (no such user) costs the same as a wrong password. */
  boolean verify(String password, String hash) {
    boolean ok = bounded(() -> BCrypt.verifyer(VERSION, LONG).verify(password.toCharArray(), (hash == null ? dummyHash : hash).toCharArray()).verified);
    return ok && hash != null;
  }

  /** 400 with the reason when {@code password} may not be used by {@code username}. */
  static void checkPolicy(String password, String username) {
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) throw new BadRequestResponse("password must have at least " + MIN_LENGTH + " characters (a few words make a good one)");
    if (length > MAX_LENGTH) throw new BadRequestResponse("password must have at most " + MAX_LENGTH + " characters");
    String lower = password.toLowerCase(Locale.ROOT);
    if (username != null && lower.equals(username.toLowerCase(Locale.ROOT))) throw new BadRequestResponse("password must not be the username");
    if (Common.SET.contains(lower)) {
      throw new BadRequestResponse("password is on a list of common passwords found in breaches (nbvcxz's " + Common.SET.size() + "): choose another");
    }
  }

  private interface Work<T> { T run(); }

  private <T> T bounded(Work<T> work) {
    try {
      if (!permits.tryAcquire(5, TimeUnit.SECONDS)) {
        throw new ServiceUnavailableResponse("the server is busy checking passwords: try again in a few seconds", Map.of("retryAfterSeconds", "5"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableResponse("interrupted while waiting to check the password");
    }
    try {
      return work.run();
    } finally {
      permits.release();
    }
  }

  /** The common-password list, lower-cased, loaded on first use. */
  private static final class Common {
    static final Set<String> SET = load();

    private static Set<String> load() {
      try (InputStream in = Passwords.class.getResourceAsStream(COMMON_LIST)) {
        if (in == null) throw new IllegalStateException("missing resource " + COMMON_LIST + " (the me.gosimple:nbvcxz jar)");
        Set<String> out = new HashSet<>(200_000);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String p = line.strip();
          if (!p.isEmpty()) out.add(p.toLowerCase(Locale.ROOT));
        }
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + COMMON_LIST, e);
      }
    }
  }
}
