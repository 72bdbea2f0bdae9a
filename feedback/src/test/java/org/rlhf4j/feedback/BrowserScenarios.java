package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/** In real headless Chromium: a rater labels a pairwise and a ranking task; an admin views agreement and adjudicates. */
abstract class BrowserScenarios {
  @TempDir Path tmp;

  abstract String dbUrl(Path tmp);

  static final String PROMPT = "<script>window.pwned = 1</script><b>Which reply is kinder?</b>";

  @Test void raterLabelsPairwiseAndRankingThenAdminAdjudicates() throws Exception {
    try (Browser b = Browser.open(tmp.resolve("chromium-profile")); TestServer s = new TestServer(dbUrl(tmp))) {
      s.rater("r1");
      Client r2 = s.rater("r2");
      long pairs = s.project(Map.of("name", "Kindness", "kind", "pairwise", "ratingsPerItem", 2, "goldRate", 0.0, "guidelines", "Prefer the kinder reply."), "r1", "r2");
      long pairItem = s.items(pairs, List.of(ServiceScenarios.item(PROMPT, null, "Kind reply", "Rude reply"))).get(0);
      long ranks = s.project(Map.of("name", "Order", "kind", "ranking", "ratingsPerItem", 1, "goldRate", 0.0), "r1");
      long rankItem = s.items(ranks, List.of(ServiceScenarios.item("Rank these", null, "first", "second", "third"))).get(0);

      b.login(s.base, "r1", TestServer.PASSWORD);
      b.click("label-" + pairs);
      assertThat(b.visible("prompt").getText()).isEqualTo(PROMPT);  // shown as text, never run as markup
      assertThat(b.visible("guidelines").getAttribute("textContent")).isEqualTo("Prefer the kinder reply.");
      assertThat(((JavascriptExecutor) b.driver).executeScript("return window.pwned === undefined")).isEqualTo(true);
      int kind = b.visible("response-0").getText().equals("Kind reply") ? 0 : 1;
      b.click("choose-" + kind);
      b.visible("done");
      b.click("back-button");
      b.click("label-" + ranks);
      for (int pos = 0; pos < 3; pos++) {
        String text = b.visible("response-" + pos).getText();
        int rank = List.of("first", "second", "third").indexOf(text) + 1;
        b.select("rank-" + pos, String.valueOf(rank));
      }
      b.click("submit-ranking");
      b.visible("done");
      assertThat(s.count("SELECT COUNT(*) FROM labels WHERE item_id = ? AND choice = 'A'", pairItem)).isEqualTo(1);
      assertThat(s.count("SELECT COUNT(*) FROM labels WHERE item_id = ? AND ranking = '[0,1,2]'", rankItem)).isEqualTo(1);

      r2.ok(r2.get("/api/projects/" + pairs + "/next"), 200);
      r2.ok(r2.post("/api/labels", Map.of("itemId", pairItem, "idempotencyKey", "r2", "choice", "B")), 201);

      b.click("logout-button");
      b.login(s.base, "admin", TestServer.ADMIN_PASSWORD);
      b.click("quality-" + pairs);
      assertThat(b.visible("stat-rawAgreement").getText()).isEqualTo("0.000");
      b.visible("queue-item-" + pairItem);
      b.click("adjudicate-" + pairItem + "-A");
      b.visible("queue-empty");
      b.textContains("status", "Adjudicated item " + pairItem);
      JsonNode adj = s.admin.ok(s.admin.get("/api/projects/" + pairs + "/adjudication?threshold=1"), 200);
      assertThat(adj).isEmpty();
      assertThat(s.count("SELECT COUNT(*) FROM adjudications WHERE item_id = ? AND choice = 'A'", pairItem)).isEqualTo(1);
      adminReleasesDpFigures(b, s);
      adminSetsUpAProjectInTheUi(b, s);
    }
  }

  /** The quality view's DP section: no budget yet, set one, release the win rate with ε beside it, the ledger charged. */
  private void adminReleasesDpFigures(Browser b, TestServer s) {
    b.textContains("dp-ledger", "No budget set");
    b.visible("dp-budget-epsilon").sendKeys("1");
    b.click("dp-set-budget");
    b.textContains("dp-ledger", "Budget epsilon 1.000");
    b.select("dp-statistic", "win-rate");
    b.visible("dp-epsilon").clear();
    b.visible("dp-epsilon").sendKeys("0.25");
    b.click("dp-release");
    b.textContains("status", "Released win-rate (1 figure(s))");
    b.textContains("dp-figures", "win rate of the first response");
    b.textContains("dp-figures", "ε = 0.250");
    b.textContains("dp-ledger", "remaining 0.750");
    b.textContains("dp-charges", "win-rate");
    assertThat(s.count("SELECT COUNT(*) FROM privacy_charges")).isEqualTo(1);
  }

  private void adminSetsUpAProjectInTheUi(Browser b, TestServer s) throws Exception {
    b.click("admin-back-button");
    b.visible("new-username").sendKeys("r3");
    b.visible("new-password").sendKeys(TestServer.PASSWORD);
    b.click("create-user");
    b.textContains("status", "Created user r3");
    b.visible("project-name").sendKeys("Made in the UI");
    b.click("create-project");
    b.textContains("status", "Created project");
    long id = s.count("SELECT MAX(id) FROM projects WHERE name = 'Made in the UI'");
    b.click("quality-" + id);
    b.visible("member-username").sendKeys("r3");
    b.click("add-member");
    b.textContains("status", "Added r3");
    Path jsonl = tmp.resolve("import.jsonl");
    org.rlhf4j.data.format.DataFiles.writePreferences(jsonl, List.of(org.rlhf4j.data.PreferencePair.of(
        new org.rlhf4j.data.Text("Say hi"), new org.rlhf4j.data.Text("Hi!"), new org.rlhf4j.data.Text("Go away."))));
    b.visible("import-file").sendKeys(jsonl.toAbsolutePath().toString());
    b.click("import-button");
    b.textContains("status", "Imported 1 items");
    assertThat(s.count("SELECT COUNT(*) FROM items WHERE project_id = ?", id)).isEqualTo(1);
    assertThat(s.count("SELECT COUNT(*) FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? AND u.username = 'r3'", id)).isEqualTo(1);
  }

  /** Issue 11, item 15: progress, messages, empty rankings, fresh guidelines, adjudication numbering; and the admin page. */
  @Test void raterScreenShowsProgressAndFreshGuidelinesAndAdminsManageAccounts() throws Exception {
    try (Browser b = Browser.open(tmp.resolve("chromium-profile")); TestServer s = new TestServer(dbUrl(tmp))) {
      s.rater("r1");
      Client r2 = s.rater("r2");
      long ranks = s.project(Map.of("name", "Order", "kind", "ranking", "ratingsPerItem", 1, "goldRate", 0.0, "guidelines", "v1 rules"), "r1");
      List<Long> items = s.items(ranks, List.of(ServiceScenarios.item("one", null, "a", "b", "c"), ServiceScenarios.item("two", null, "a", "b", "c"),
          ServiceScenarios.item("three", null, "a", "b", "c")));
      b.login(s.base, "r1", TestServer.PASSWORD);
      b.click("label-" + ranks);
      b.textContains("progress", "Item 1 of 3");
      for (int pos = 0; pos < 3; pos++) assertThat(b.visible("rank-" + pos).getAttribute("value")).as("not prefilled").isEmpty();
      b.click("submit-ranking");
      b.textContains("error", "Rank every response");
      assertThat(s.count("SELECT COUNT(*) FROM labels")).isZero();
      rankAll(b);
      b.textContains("progress", "Item 2 of 3");
      b.textContains("status", "Saved label for item " + items.get(0));
      assertThat(b.driver.findElement(org.openqa.selenium.By.id("error")).getText()).as("the error went with the item").isEmpty();
      s.admin.ok(s.admin.post("/api/projects/" + ranks + "/guidelines", Map.of("body", "v2 rules")), 201);
      rankAll(b);
      b.textContains("guidelines-version", "2");
      assertThat(b.visible("guidelines").getAttribute("textContent")).isEqualTo("v2 rules");
      b.textContains("status", "guidelines changed");
      rankAll(b);
      b.visible("done");
      b.until("the guidelines notice to be gone", () -> !b.driver.findElement(org.openqa.selenium.By.id("status")).getText().contains("guidelines"));
      assertThat(s.count("SELECT COUNT(*) FROM labels WHERE project_id = ?", ranks)).isEqualTo(3);
      assertThat(s.count("SELECT COUNT(*) FROM labels WHERE guideline_version = 2")).isEqualTo(2);

      long pairs = s.project(Map.of("name", "Pairs", "kind", "pairwise", "ratingsPerItem", 2, "goldRate", 0.0), "r1", "r2");
      long pairItem = s.items(pairs, List.of(ServiceScenarios.item("which?", null, "first", "second"))).get(0);
      for (Client c : List.of(Client.login(s.base, "r1", TestServer.PASSWORD), r2)) c.ok(c.get("/api/projects/" + pairs + "/next"), 200);
      Client.login(s.base, "r1", TestServer.PASSWORD).post("/api/labels", Map.of("itemId", pairItem, "idempotencyKey", "x", "choice", "A"));
      r2.ok(r2.post("/api/labels", Map.of("itemId", pairItem, "idempotencyKey", "y", "choice", "B")), 201);
      b.click("back-button");
      b.click("logout-button");
      b.login(s.base, "admin", TestServer.ADMIN_PASSWORD);
      b.click("quality-" + pairs);
      b.visible("queue-item-" + pairItem);
      String labels = b.driver.findElement(org.openqa.selenium.By.cssSelector("#queue-item-" + pairItem + " .queue-labels")).getText();
      assertThat(labels).contains("r1: Response 1 better").contains("r2: Response 2 better");
      assertThat(b.visible("adjudicate-" + pairItem + "-A").getText()).isEqualTo("Final: Response 1 better");
      b.visible("member-r2");
      b.click("admin-back-button");
      b.click("admin-page-button");
      b.textContains("counts-" + ranks, "3");
      b.click("deactivate-r2");
      b.textContains("status", "Deactivated r2");
      assertThat(r2.get("/api/me").status()).isEqualTo(401);
      b.visible("token-name").sendKeys("chat-app");
      b.click("create-token");
      assertThat(b.visible("new-token-value").getText()).startsWith("rlt_");
      long token = s.count("SELECT MAX(id) FROM api_tokens");
      b.click("revoke-" + token);
      b.textContains("token-state-" + token, "revoked");
    }
  }

  private static void rankAll(Browser b) {
    String before = b.visible("prompt").getText();
    for (int pos = 0; pos < 3; pos++) b.select("rank-" + pos, String.valueOf(pos + 1));
    b.click("submit-ranking");
    b.until("the next item or done", () -> b.driver.findElement(org.openqa.selenium.By.id("done")).isDisplayed()
        || !b.driver.findElement(org.openqa.selenium.By.id("prompt")).getText().equals(before));
  }
}
