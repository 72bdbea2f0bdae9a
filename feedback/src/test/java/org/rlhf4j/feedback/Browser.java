package org.rlhf4j.feedback;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import java.util.function.Supplier;
import org.openqa.selenium.WebDriverException;

/** Headless Debian Chromium driven through chromedriver; skips (with the reason printed) when either is absent. */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String DRIVER = "/usr/bin/chromedriver";

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  final WebDriver driver;

  private Browser(WebDriver driver) { this.driver = driver; }

  /** Polls until {@code condition} returns non-null (exceptions count as not yet), failing after 20 s. */
  <T> T until(String what, Supplier<T> condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        T v = condition.get();
        if (v != null && !Boolean.FALSE.equals(v)) return v;
      } catch (WebDriverException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what + " (page error: '" + errorText() + "')", last);
  }

  private String errorText() {
    try {
      return driver.findElement(By.id("error")).getText();
    } catch (WebDriverException e) {
      return "?";
    }
  }

  static Browser open(Path profileDir) throws IOException {
    for (String exe : new String[] {CHROMIUM, DRIVER}) {
      if (!new File(exe).canExecute()) {
        System.out.println("SKIPPED: browser tests need " + exe + " (apt-get install chromium chromium-driver)");
        Assumptions.abort(exe + " is absent");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createDirectories(profileDir).toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  WebElement visible(String id) {
    return until("#" + id + " to be visible", () -> {
      WebElement e = driver.findElement(By.id(id));
      return e.isDisplayed() ? e : null;
    });
  }

  void click(String id) {
    until("#" + id + " to be clickable", () -> {
      WebElement e = driver.findElement(By.id(id));
      if (!e.isDisplayed() || !e.isEnabled()) return null;
      e.click();
      return true;
    });
  }

  /** Picks the option with this value in the select with this id. */
  void select(String id, String value) {
    visible(id).findElement(By.cssSelector("option[value='" + value + "']")).click();
  }

  void textContains(String id, String text) {
    until("#" + id + " to contain '" + text + "'", () -> driver.findElement(By.id(id)).getText().contains(text));
  }

  void login(String base, String user, String password) {
    driver.get(base + "/");
    visible("username").sendKeys(user);
    visible("password").sendKeys(password);
    click("login-button");
    visible("projects-view");
  }

  @Override public void close() { driver.quit(); }
}
