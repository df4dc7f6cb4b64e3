package org.bptt.study.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link of README.md and docs/*.md names a file that exists and, after a '#', a
 * heading of that file (GitHub's anchors): README points into docs/ for everything it leaves
 * out, and a page moved or a heading renamed must not leave it pointing nowhere.
 */
final class TestDocumentLinks {
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("#{1,6}\\s+(.*?)\\s*#*\\s*");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*:.*");

    @Test
    void everyRelativeLinkOfTheReadmeAndDocsResolves() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertEquals(List.of(), brokenLinks(root));
    }

    @Test
    void theCheckerCatchesAMissingFileAndAMissingHeading(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), """
                # Tool
                ## Sweeps on Apache Spark
                [ok](docs/a.md#the-b-part) [gone](docs/b.md) [no heading](#nope) [here](#sweeps-on-apache-spark)
                ![image](docs/a.md) [web](https://example.org/x.md) `[code](nothere.md)`
                ```
                [fenced](nothere.md)
                ```
                """);
        Files.writeString(
                root.resolve("docs/a.md"),
                "# A\n## The `b` part\n[up](../README.md#tool) [up, wrong](../README.md#b)\n");
        assertEquals(
                List.of(
                        "README.md: docs/b.md: no such file",
                        "README.md: #nope: no such heading",
                        "docs/a.md: ../README.md#b: no such heading"),
                brokenLinks(root));
    }

    /** "FILE: TARGET: why" for each relative link of README.md and docs/*.md that does not resolve. */
    static List<String> brokenLinks(Path root) throws IOException {
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path doc : documents) {
            for (String target : links(Files.readString(doc))) {
                if (SCHEME.matcher(target).matches()) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path dest = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                String where = root.relativize(doc) + ": " + target + ": ";
                if (!Files.exists(dest)) {
                    broken.add(where + "no such file");
                } else if (hash >= 0 && !anchors(dest).contains(target.substring(hash + 1))) {
                    broken.add(where + "no such heading");
                }
            }
        }
        return broken;
    }

    /** Link targets outside fenced code blocks and code spans. */
    private static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> out = new HashSet<>();
        if (!file.toString().endsWith(".md") || Files.isDirectory(file)) {
            return out;
        }
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readString(file).split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String slug = m.group(1)
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}_ -]", "")
                        .replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return out;
    }
}
