package dev.fnharness.harness.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A set of every kind of dependency the worker takes, written into a directory: a {@code .py} file,
 * a package directory, a {@code .zip} of modules, requirements with a hand-made wheel (pip installs
 * it offline) and an archive. {@link #MODULE}{@code :probe} uses them all.
 */
public final class TestDependencies {

  /** The module of {@code probe(x)}, which returns x + 41 + 1 + 100 + 1000 + 10 (= x + 1152). */
  public static final String MODULE = "probe_udfs";

  public final Path pyFile;
  public final Path packageDir;
  public final Path zip;
  public final Path requirements;
  public final Path wheelhouse;
  public final Path archive;

  private TestDependencies(Path root) throws IOException {
    pyFile = root.resolve(MODULE + ".py");
    Files.writeString(
        pyFile,
        String.join(
            "\n",
            "import os",
            "import fnharness_worker",
            "import in_dir.helper",
            "import in_zip",
            "import tinydep",
            "",
            "def probe(x):",
            "    with open(os.path.join('model', 'weights.txt')) as f:",
            "        from_cwd = int(f.read())",
            "    with open(os.path.join(fnharness_worker.archive_path('model'), 'weights.txt')) as f:",
            "        from_api = int(f.read())",
            "    return x + tinydep.VALUE + in_dir.helper.ONE + in_zip.HUNDRED + from_cwd + from_api",
            ""));
    packageDir = Files.createDirectories(root.resolve("libdir"));
    Files.createDirectories(packageDir.resolve("in_dir"));
    Files.writeString(packageDir.resolve("in_dir/__init__.py"), "");
    Files.writeString(packageDir.resolve("in_dir/helper.py"), "ONE = 1\n");
    zip = root.resolve("modules.zip");
    writeZip(zip, Map.of("in_zip.py", "HUNDRED = 100\n"));
    wheelhouse = Files.createDirectories(root.resolve("wheels"));
    writeWheel(wheelhouse, "tinydep", "1.0", "VALUE = 41\n");
    requirements = Files.writeString(root.resolve("requirements.txt"), "tinydep==1.0\n");
    archive = root.resolve("model.zip");
    writeZip(archive, Map.of("weights.txt", "505\n"));
  }

  public static TestDependencies writeInto(Path root) throws IOException {
    return new TestDependencies(root);
  }

  public static long expected(long x) {
    return x + 41 + 1 + 100 + 505 + 505;
  }

  private static void writeZip(Path path, Map<String, String> files) throws IOException {
    try (OutputStream out = Files.newOutputStream(path);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }

  /** A pure-Python wheel by hand, as worker-python/tests/wheels.py makes it. */
  private static void writeWheel(Path dir, String name, String version, String source)
      throws IOException {
    String distInfo = name + "-" + version + ".dist-info";
    Map<String, String> files = new LinkedHashMap<>();
    files.put(name + "/__init__.py", source);
    files.put(
        distInfo + "/METADATA",
        "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
    files.put(
        distInfo + "/WHEEL",
        "Wheel-Version: 1.0\nGenerator: fnharness-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, String> file : files.entrySet()) {
      byte[] data = file.getValue().getBytes(StandardCharsets.UTF_8);
      record
          .append(file.getKey())
          .append(",sha256=")
          .append(urlsafeSha256(data))
          .append(',')
          .append(data.length)
          .append('\n');
    }
    record.append(distInfo).append("/RECORD,,\n");
    files.put(distInfo + "/RECORD", record.toString());
    writeZip(dir.resolve(name + "-" + version + "-py3-none-any.whl"), files);
  }

  private static String urlsafeSha256(byte[] data) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
