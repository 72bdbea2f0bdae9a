package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Issue 11, item 10: what a Java team depends on. The BOM ({@code bom/pom.xml}) lists every module at the project's
 * version; every jar names its JPMS module ({@code Automatic-Module-Name} from the module's {@code rlhf4j.module}
 * property: org.rlhf4j.NAME, which is also its root package); no package is split over two modules (JPMS refuses
 * that, automatic modules included).
 */
class BuildLayoutTest {
  /** The repository root (the cli module's parent). */
  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isRegularFile(here.resolve("bom/pom.xml")) ? here : here.getParent();
  }

  static Document pom(Path file) throws Exception {
    assertThat(file).isRegularFile();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  /** The text of {@code el}'s direct child {@code name}, or null. */
  static String child(Element el, String name) {
    for (Node n = el.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) return c.getTextContent().trim();
    }
    return null;
  }

  static List<String> modules() throws Exception {
    NodeList ms = pom(root().resolve("pom.xml")).getElementsByTagName("module");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ms.getLength(); i++) out.add(ms.item(i).getTextContent().trim());
    return out;
  }

  @Test void theBomListsEveryModuleAtTheProjectsVersion() throws Exception {
    String version = child(pom(root().resolve("pom.xml")).getDocumentElement(), "version");
    Element bom = pom(root().resolve("bom/pom.xml")).getDocumentElement();
    assertThat(child(bom, "version")).as("bom version").isEqualTo(version);
    assertThat(child(bom, "parent")).as("the BOM has no parent: importing it pins only rlhf4j's artifacts").isNull();
    Map<String, String> listed = new HashMap<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertThat(child(d, "groupId")).isEqualTo("org.rlhf4j");
      listed.put(child(d, "artifactId"), child(d, "version"));
    }
    List<String> artifacts = new ArrayList<>();
    for (String m : modules()) {
      if (m.equals("bom")) continue;
      artifacts.add(child(pom(root().resolve(m).resolve("pom.xml")).getDocumentElement(), "artifactId"));
    }
    assertThat(listed.keySet()).as("bom/pom.xml lists exactly the modules of the root pom").containsExactlyInAnyOrderElementsOf(artifacts);
    assertThat(listed.values()).as("each at the project's version").containsOnly(version);
  }

  @Test void everyModuleNamesItsJpmsModuleAfterItsRootPackage() throws Exception {
    for (String m : modules()) {
      if (m.equals("bom")) continue;
      NodeList props = pom(root().resolve(m).resolve("pom.xml")).getElementsByTagName("rlhf4j.module");
      assertThat(props.getLength()).as(m + "/pom.xml property rlhf4j.module").isEqualTo(1);
      String name = props.item(0).getTextContent().trim();
      assertThat(name).as(m).isEqualTo("org.rlhf4j." + m.replace("-", ""));
      assertThat(root().resolve(m).resolve("src/main/java").resolve(name.replace('.', '/'))).as(m + ": root package").isDirectory();
    }
    assertThat(Files.readString(root().resolve("pom.xml"))).contains("<Automatic-Module-Name>${rlhf4j.module}</Automatic-Module-Name>");
  }

  @Test void noPackageIsSplitOverTwoModules() throws Exception {
    Map<String, String> owner = new HashMap<>();
    for (String m : modules()) {
      Path src = root().resolve(m).resolve("src/main/java");
      if (!Files.isDirectory(src)) continue;
      for (String pkg : packages(src)) {
        String before = owner.putIfAbsent(pkg, m);
        assertThat(before).as("package " + pkg + " is in " + before + " and " + m).isNull();
      }
    }
    assertThat(owner).containsKeys("org.rlhf4j.training", "org.rlhf4j.common");
  }

  private static List<String> packages(Path src) throws IOException {
    try (Stream<Path> files = Files.walk(src)) {
      return files.filter(f -> f.toString().endsWith(".java")).map(f -> src.relativize(f.getParent()).toString()
          .replace('/', '.')).distinct().toList();
    }
  }
}
